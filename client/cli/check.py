"""`treffpunkt check SERVER_URL`: a health check of a Jitsi server for residents and admins.

Runs deployment discovery (config.js in the sandbox, defaults, TLS checks) and
prints what a client would use.  With ``--connect`` it also opens the XMPP
WebSocket and checks that the server opens a stream for the configured domain
(RFC 7395 ``<open/>`` → ``<open/>`` + features) — a smoke test, not a login.

Exit status: 0 the server can be used; 1 discovery failed; 2 wrong arguments;
3 discovery worked but the XMPP stream did not open.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from client.errors import ServerError, TreffpunktError, XmppStreamRefusedError
from client.i18n import N_, _, set_language
from client.jitsi.deployment import Deployment, discover
from client.jitsi.ns import NS_FRAMING, NS_SASL, NS_STREAM_ERRORS, NS_STREAMS
from client.meeting.address import parse_server_url
from client.net import TrustSettings, map_network_error, open_websocket

EXIT_OK = 0
EXIT_DISCOVERY_FAILED = 1
EXIT_STREAM_FAILED = 3



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("server_url", metavar="SERVER_URL",
                        help="the server, e.g. https://konferenz.bretten.de (a path is the tenant)")
    parser.add_argument("--tenant", help="tenant (path prefix) on the server")
    parser.add_argument("--room", help="backend room name to send as ?room= (optional)")
    parser.add_argument("--ca-file", type=Path,
                        help="additional trusted CA certificates (PEM), e.g. a municipal CA")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the output")
    parser.add_argument("--connect", action="store_true",
                        help="also open the XMPP WebSocket and check the stream opens")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="network timeout per request (default 10)")


@dataclass(frozen=True)
class StreamCheck:
    """What the server said when we opened an XMPP stream."""

    url: str
    stream_from: str | None
    mechanisms: tuple[str, ...]


def run(args: argparse.Namespace) -> int:
    language = set_language(args.lang or "system")
    return asyncio.run(_check(args, language))


async def _check(args: argparse.Namespace, language: str) -> int:
    trust = TrustSettings(extra_ca_file=args.ca_file)
    try:
        server_url, tenant, notes = parse_server(args.server_url)
        deployment = await discover(server_url, args.tenant or tenant, args.room, trust=trust,
                                    timeout_s=args.timeout)
    except TreffpunktError as error:
        _report_failure(args, error, language)
        return EXIT_DISCOVERY_FAILED

    stream: StreamCheck | None = None
    stream_error: TreffpunktError | None = None
    if args.connect:
        try:
            stream = await check_xmpp_stream(deployment, room=args.room, trust=trust,
                                             timeout_s=args.timeout)
        except TreffpunktError as error:
            stream_error = error

    if args.json:
        result: dict[str, Any] = {"ok": stream_error is None,
                                  "notes": [_(n, language) for n in notes],
                                  "deployment": deployment.to_json(language)}
        if args.connect:
            result["xmpp"] = ({"ok": True, "url": stream.url, "stream_from": stream.stream_from,
                               "mechanisms": list(stream.mechanisms)} if stream else
                              {"ok": False, **_error_json(stream_error, language)})
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_report(deployment, notes, stream, stream_error, args.connect, language))
    return EXIT_OK if stream_error is None else EXIT_STREAM_FAILED


def parse_server(text: str) -> tuple[str, str | None, list[str]]:
    """SERVER_URL as in the settings → (origin, tenant, notes); http is upgraded and said so."""
    server = parse_server_url(text)
    notes = [N_("The address began with http://; Treffpunkt uses the encrypted https:// "
                "instead.")] if server.upgraded_from_http else []
    return server.origin, server.tenant, notes


def _error_json(error: TreffpunktError | None, language: str) -> dict[str, Any]:
    if error is None:
        return {}
    out: dict[str, Any] = {"kind": error.kind, "message": error.user_message(language)}
    reason = getattr(type(error), "reason", None)
    if isinstance(reason, str):
        out["reason"] = reason
    if "host" in error.details:
        out["host"] = error.details["host"]
    return out


def _report_failure(args: argparse.Namespace, error: TreffpunktError, language: str) -> None:
    if args.json:
        print(json.dumps({"ok": False, "error": _error_json(error, language)},
                         ensure_ascii=False, indent=2))
    else:
        print(error.user_message(language), file=sys.stderr)
        print(_("Result: the server cannot be used.", language), file=sys.stderr)


def _report(deployment: Deployment, notes: list[str], stream: StreamCheck | None,
            stream_error: TreffpunktError | None, connect: bool, language: str) -> str:
    def t(text: str) -> str:
        return _(text, language)

    none = _("none", language)
    if deployment.source.value == "config.js":
        source = _("config.js ({url})", language).format(url=deployment.config_url)
    else:
        source = _("standard values (no config.js found)", language)
    muted = [t(label) for flag, label in (
        (deployment.start_with_audio_muted, N_("microphone")),
        (deployment.start_with_video_muted, N_("camera"))) if flag]
    rows = [
        (N_("Configuration"), source),
        (N_("Tenant"), deployment.tenant or none),
        (N_("XMPP domain"), deployment.xmpp_domain),
        (N_("Guest domain"), deployment.anonymous_domain or none),
        (N_("Conference domain (MUC)"), deployment.muc_domain),
        (N_("Conference service (focus)"), deployment.focus_jid),
        (N_("WebSocket"), deployment.websocket_url or none),
        (N_("BOSH"), deployment.bosh_url or none),
        (N_("Conference request"), deployment.conference_request_url or _("over XMPP", language)),
        (N_("Peer-to-peer calls"), _("on", language) if deployment.p2p.enabled else _("off", language)),
        (N_("Start muted"), ", ".join(muted) if muted else none),
    ]
    if connect:
        if stream is not None:
            value = _("stream opened (login methods: {methods})", language).format(
                methods=", ".join(stream.mechanisms) or none)
        else:
            value = stream_error.user_message(language) if stream_error else none
        rows.append((N_("XMPP connection"), value))
    labels = [t(label) for label, _value in rows]
    width = max(len(label) for label in labels) + 2
    lines = [_("Server check for {server}", language).format(server=deployment.server_url), ""]
    lines += [f"  {label + ':':<{width}}{value}" for label, (_l, value) in zip(labels, rows)]
    warnings = [t(n) for n in notes] + [w.message(language) for w in deployment.warnings]
    if warnings:
        lines += ["", _("Warnings:", language)] + [f"  - {w}" for w in warnings]
    lines.append("")
    if stream_error is not None:
        lines.append(_("Result: the configuration was found, but the XMPP connection failed.", language))
    else:
        lines.append(_("Result: the server can be used.", language))
    return "\n".join(lines)


# --- a minimal RFC 7395 stream opening --------------------------------------------------

async def check_xmpp_stream(deployment: Deployment, *, room: str | None = None,
                            trust: TrustSettings | None = None,
                            timeout_s: float = 10.0) -> StreamCheck:
    """Open the WebSocket, send ``<open/>`` and read the server's ``<open/>`` and features."""
    from websockets.exceptions import ConnectionClosed

    from client.jitsi.stanza import parse_xml

    url = deployment.websocket_url_for(room)
    domain = deployment.stream_domain(anonymous=True)
    host = urlsplit(url or "").hostname or deployment.host
    if url is None:
        raise XmppStreamRefusedError(host=host, domain=domain, detail="no WebSocket URL")
    connection = await open_websocket(url, trust=trust, timeout_s=timeout_s)
    try:
        async with asyncio.timeout(timeout_s):
            await connection.send(f"<open xmlns='{NS_FRAMING}' to='{_xml_attr(domain)}' "
                                  "version='1.0'/>")
            opened = parse_xml(await connection.recv())
            if opened.tag != f"{{{NS_FRAMING}}}open":
                raise XmppStreamRefusedError(host=host, domain=domain,
                                             detail=_stream_error_text(opened))
            features = parse_xml(await connection.recv())
            if features.tag != f"{{{NS_STREAMS}}}features":
                raise XmppStreamRefusedError(host=host, domain=domain,
                                             detail=_stream_error_text(features))
            mechanisms = tuple(
                (m.text or "").strip()
                for m in features.iterfind(f"{{{NS_SASL}}}mechanisms/{{{NS_SASL}}}mechanism"))
            await connection.send(f"<close xmlns='{NS_FRAMING}'/>")
            return StreamCheck(url=url, stream_from=opened.get("from"), mechanisms=mechanisms)
    except ServerError:
        raise
    except TreffpunktError as error:  # RemoteProtocolError from parse_xml
        raise XmppStreamRefusedError(host=host, domain=domain, detail=str(error)) from error
    except ConnectionClosed as exc:
        raise XmppStreamRefusedError(host=host, domain=domain,
                                     detail=f"connection closed: {exc}") from exc
    except (OSError, TimeoutError) as exc:
        raise map_network_error(exc, host) from exc
    finally:
        await connection.close()


def _stream_error_text(element: Any) -> str:
    conditions = [child.tag.split("}", 1)[-1] for child in element
                  if child.tag.startswith(f"{{{NS_STREAM_ERRORS}}}")]
    return f"{element.tag}: {', '.join(conditions) or 'unexpected element'}"


def _xml_attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")
            .replace('"', "&quot;"))
