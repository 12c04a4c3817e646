"""What a test run needs: the pytest plugin, the `ex` fixture's API, isolation between exercises, the report."""
