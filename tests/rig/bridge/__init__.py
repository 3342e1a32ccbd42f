"""The test-only videobridge and the Jicofo half of the bridge path (test-rig.md §4)."""
