"""The Jitsi protocol: discovery, XMPP, focus, MUC, Jingle, SDP, bridge channel. No Qt, no aiortc."""
