"""plugin_host: a tiny text tool whose features are plugins (see plugin_host/plugins/)."""
