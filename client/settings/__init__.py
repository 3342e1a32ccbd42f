"""Typed settings, admin presets, recent rooms. No Qt.

    store = SettingsStore.open()            # never raises; store.messages says what happened
    store.get("server.default_url")
    store.set("profile.display_name", "Anna"); store.save()
"""
