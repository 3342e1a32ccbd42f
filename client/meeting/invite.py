"""Invitation text for a meeting, in the user's language.

The link stands on its own line so that mail programs make it clickable and
people copy all of it; the password stands on its own line, apart from the link,
so it can be passed on separately.  A line for users of the Jitsi Meet mobile
app tells them to paste the whole address: the app sends anything else to its
own default server (meet.jit.si), where the guest waits alone in an empty room
(anchors.md §0.1 and §2; jitsi-meet#6067, #6414, #9304).  No host other than the
meeting's own server is named.
"""

from __future__ import annotations

from client.i18n import N_, _
from client.meeting.address import MeetingAddress

INVITED = N_("You are invited to a video meeting.")
INVITED_BY = N_("{name} invites you to a video meeting.")
INVITED_ON_SERVICE = N_("You are invited to a video meeting on “{service}”.")
INVITED_BY_ON_SERVICE = N_("{name} invites you to a video meeting on “{service}”.")
JOIN_LINE = N_("Join the meeting in your web browser or in Treffpunkt:")
PASSWORD_LINE = N_("Meeting password:")
MOBILE_HINT = N_("Using the Jitsi Meet app on a phone or tablet? Paste the whole address above, "
                 "starting with https://, into the app. If you enter only the room name, the app "
                 "may open an empty room on a different server.")


def invitation_text(address: MeetingAddress, *, password: str | None = None,
                    inviter: str | None = None, language: str | None = None) -> str:
    """The invitation as plain text (``language`` "de"/"en"; None = the app's language)."""
    service = address.known_server.service if address.known_server else None
    name = (inviter or "").strip()
    if name and service:
        intro = _(INVITED_BY_ON_SERVICE, language).format(name=name, service=service)
    elif name:
        intro = _(INVITED_BY, language).format(name=name)
    elif service:
        intro = _(INVITED_ON_SERVICE, language).format(service=service)
    else:
        intro = _(INVITED, language)
    lines = [intro, "", _(JOIN_LINE, language), address.link, ""]
    if password:
        lines += [_(PASSWORD_LINE, language), password, ""]
    lines.append(_(MOBILE_HINT, language))
    return "\n".join(lines) + "\n"
