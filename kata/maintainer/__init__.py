"""The maintainer's tools: verify, bench, versions, checksums, and throwaway katas for the harness's tests."""
