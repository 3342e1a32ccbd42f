"""Media: capture, synthetic sources, playback, the aiortc session, frame pipeline. No Qt."""
