"""What the user typed → server and room; canonical room names; invitations. No Qt, no I/O.

    address.py    parse_link(text, default_server) -> MeetingAddress | AddressError
    roomname.py   backend_room_name(), suggest_room_name(), assess_room_name()
    host.py       host checks, IDN (punycode), "does this word name a server?"
    servers.py    known municipal servers (resources/data) and the public-server guard
    invite.py     invitation_text(address, password=…, language=…)
"""
