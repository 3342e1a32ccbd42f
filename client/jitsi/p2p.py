"""When a 1:1 call runs peer-to-peer, and who starts it — lib-jitsi-meet's rules, sans-I/O.

lib-jitsi-meet (``JitsiConference._maybeStartOrStopP2P``, unchanged in essence from
2021 to today) goes P2P when exactly one other participant is in the room and that
one is not a bot (a Jigasi phone gateway or a "poltergeist").  Of the two, the one
whose endpoint id (MUC nickname) sorts first initiates; the other waits for its
session-initiate.  When the room grows to three, P2P stops (``success``, "Turning
off P2P session").  After someone left, the initiator waits ``back_to_p2p_delay_s``
(default 5 s) before starting again, so a reload does not cause a flurry of sessions.
An incoming session-initiate is declined with ``decline`` "P2P disabled", ``busy``
"P2P already in progress", or ``decline`` "P2P requirements not met".

``P2PPolicy`` gets membership changes, incoming offers, session ends and the time;
it answers with ``P2PAction``s and tells when it wants to be woken (``next_timer``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: a participant with this disco/presence feature is a phone gateway, never a P2P peer
FEATURE_JIGASI = "http://jitsi.org/protocol/jigasi"

BACK_TO_P2P_DELAY_S = 5.0


@dataclass(frozen=True)
class P2PAction:
    pass


@dataclass(frozen=True)
class StartP2P(P2PAction):
    """Send a session-initiate to ``peer`` (an endpoint id)."""

    peer: str


@dataclass(frozen=True)
class StopP2P(P2PAction):
    """End the running P2P session; ``notify``: send session-terminate (not if the peer left)."""

    reason: str = "success"
    text: str = "Turning off P2P session"
    notify: bool = True


@dataclass(frozen=True)
class AcceptOffer(P2PAction):
    peer: str


@dataclass(frozen=True)
class DeclineOffer(P2PAction):
    peer: str
    reason: str
    text: str


@dataclass
class _Peer:
    bot: bool = False


@dataclass
class P2PPolicy:
    our_id: str
    enabled: bool = True
    back_to_p2p_delay_s: float = BACK_TO_P2P_DELAY_S
    _peers: dict[str, _Peer] = field(default_factory=dict)
    #: endpoint id of the peer of the running (or starting) session
    session_peer: str | None = None
    _deferred_start: tuple[float, str] | None = None

    # -- inputs

    def participant_joined(self, endpoint_id: str, now: float, *,
                           features: frozenset[str] = frozenset(), bot: bool = False) -> list[P2PAction]:
        self._peers[endpoint_id] = _Peer(bot=bot or FEATURE_JIGASI in features)
        return self._evaluate(now, user_left=False)

    def participant_updated(self, endpoint_id: str, now: float, *,
                            features: frozenset[str] = frozenset(), bot: bool = False) -> list[P2PAction]:
        """Only a change of bot status matters (a mute toggle must not restart a failed P2P)."""
        if endpoint_id not in self._peers:
            return self.participant_joined(endpoint_id, now, features=features, bot=bot)
        peer = _Peer(bot=bot or FEATURE_JIGASI in features)
        if peer == self._peers[endpoint_id]:
            return []
        self._peers[endpoint_id] = peer
        return self._evaluate(now, user_left=False)

    def participant_left(self, endpoint_id: str, now: float) -> list[P2PAction]:
        self._peers.pop(endpoint_id, None)
        actions: list[P2PAction] = []
        if self.session_peer == endpoint_id:
            # the peer is gone: nothing to tell it, the session is simply over
            self.session_peer = None
            actions.append(StopP2P(notify=False))
        actions += self._evaluate(now, user_left=True)
        return actions

    def reset(self) -> list[P2PAction]:
        """We left or rejoin: forget everyone (the caller closes any session itself)."""
        self._peers.clear()
        self.session_peer = None
        self._deferred_start = None
        return []

    def incoming_offer(self, peer: str, now: float) -> P2PAction:
        """A session-initiate from ``peer``: accept or decline (as lib-jitsi-meet would)."""
        if not self.enabled:
            return DeclineOffer(peer, "decline", "P2P disabled")
        if self.session_peer is not None:
            return DeclineOffer(peer, "busy", "P2P already in progress")
        if not self.should_be_in_p2p() or self._only_peer() != peer:
            return DeclineOffer(peer, "decline", "P2P requirements not met")
        self.session_peer = peer
        self._deferred_start = None
        return AcceptOffer(peer)

    def session_ended(self) -> None:
        """The session ended (either side, or it failed).  Like LJM, no new attempt until
        the membership changes."""
        self.session_peer = None

    def on_timer(self, now: float) -> list[P2PAction]:
        if self._deferred_start is None or now < self._deferred_start[0]:
            return []
        _, peer = self._deferred_start
        self._deferred_start = None
        if self.session_peer is None and self.should_be_in_p2p() and self._only_peer() == peer \
                and self.our_id < peer:
            self.session_peer = peer
            return [StartP2P(peer)]
        return []

    def next_timer(self) -> float | None:
        return self._deferred_start[0] if self._deferred_start else None

    # -- the rule

    def should_be_in_p2p(self) -> bool:
        return self.enabled and len(self._peers) == 1 and not any(p.bot for p in self._peers.values())

    def _only_peer(self) -> str | None:
        return next(iter(self._peers)) if len(self._peers) == 1 else None

    def _evaluate(self, now: float, *, user_left: bool) -> list[P2PAction]:
        if not self.should_be_in_p2p():
            self._deferred_start = None
            if self.session_peer is not None:
                self.session_peer = None
                return [StopP2P()]
            return []
        if self.session_peer is not None:
            return []
        peer = self._only_peer()
        if peer is None or self.our_id >= peer:
            return []           # the other one starts (or the ids are equal, which LJM logs)
        if user_left:
            if self._deferred_start is None:
                self._deferred_start = (now + self.back_to_p2p_delay_s, peer)
            return []
        self.session_peer = peer
        return [StartP2P(peer)]
