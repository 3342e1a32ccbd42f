// One lib-jitsi-meet (2021-12 build) participant, controlled by drive.mjs through window.rig.
// Every lib-jitsi-meet event the tests care about is recorded as {name, t, ...data} and sent
// to the driver through window.rigEmit (exposed by Playwright); the raw XMPP traffic goes
// to window.rigLog.  Nothing here talks to anything but the rig's own servers.
/* global JitsiMeetJS */
(function () {
    'use strict';

    const E = JitsiMeetJS.events.conference;
    const C = JitsiMeetJS.events.connection;
    const ERRORS = {};
    for (const [key, value] of Object.entries(JitsiMeetJS.errors.conference)) {
        ERRORS[value] = key.toLowerCase();
    }

    const state = {
        connection: null,
        conference: null,
        tracks: [],
        remote: {}, // participant id -> [tracks]
        options: null
    };

    function emit(name, data) {
        const event = Object.assign({ name, t: Date.now() }, data || {});
        if (window.rigEmit) {
            window.rigEmit(event);
        }
    }

    function log(kind, line) {
        if (window.rigLog) {
            window.rigLog(kind, line);
        }
    }

    function describe(value) {
        if (value === undefined || value === null) {
            return value;
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
            return value;
        }
        if (value instanceof Error) {
            return `${value.name}: ${value.message}`;
        }
        try {
            return JSON.parse(JSON.stringify(value));
        } catch (e) {
            return String(value);
        }
    }

    function tapXmpp(connection) {
        const strophe = connection.xmpp.connection._stropheConn;
        const rawIn = strophe.rawInput;
        const rawOut = strophe.rawOutput;

        strophe.rawInput = function (data) {
            log('xmpp', `<< ${data}`);
            return rawIn.apply(this, arguments);
        };
        strophe.rawOutput = function (data) {
            log('xmpp', `>> ${data}`);
            return rawOut.apply(this, arguments);
        };
    }

    function connect(opts) {
        return new Promise((resolve, reject) => {
            const connection = new JitsiMeetJS.JitsiConnection(null, null, {
                hosts: opts.hosts,
                serviceUrl: opts.serviceUrl,
                enableWebsocketResume: false
            });

            tapXmpp(connection);
            connection.addEventListener(C.CONNECTION_ESTABLISHED, () => {
                emit('connection_established', { jid: connection.xmpp.connection.jid });
                resolve(connection);
            });
            connection.addEventListener(C.CONNECTION_FAILED, (error, message) => {
                emit('connection_failed', { error: describe(error), message: describe(message) });
                reject(new Error(`connection failed: ${error} ${message || ''}`));
            });
            connection.addEventListener(C.CONNECTION_DISCONNECTED, () => emit('connection_disconnected'));
            connection.connect(opts.user ? { id: opts.user, password: opts.password } : {});
        });
    }

    function attach(track) {
        const element = document.createElement(track.getType() === 'audio' ? 'audio' : 'video');

        element.autoplay = true;
        element.muted = track.getType() === 'video';
        element.playsInline = true;
        document.getElementById('remote').appendChild(element);
        track.attach(element);
    }

    function listen(conference) {
        conference.on(E.CONFERENCE_JOINED, () => emit('conference_joined', {
            id: conference.myUserId(),
            role: conference.getRole ? conference.getRole() : null
        }));
        conference.on(E.CONFERENCE_LEFT, () => emit('conference_left'));
        conference.on(E.CONFERENCE_FAILED, (error, ...args) => emit('conference_failed', {
            error: describe(error),
            reason: ERRORS[error] || String(error),
            args: args.map(describe)
        }));
        conference.on(E.CONFERENCE_ERROR, (error, ...args) => emit('conference_error', {
            error: describe(error),
            reason: ERRORS[error] || String(error),
            args: args.map(describe)
        }));
        conference.on(E.USER_JOINED, (id, participant) => emit('user_joined', {
            id,
            displayName: participant.getDisplayName() || null,
            role: participant.getRole()
        }));
        conference.on(E.USER_LEFT, id => emit('user_left', { id }));
        conference.on(E.USER_ROLE_CHANGED, (id, role) => emit('user_role_changed', {
            id,
            role,
            local: id === conference.myUserId()
        }));
        conference.on(E.DISPLAY_NAME_CHANGED, (id, displayName) =>
            emit('display_name_changed', { id, displayName }));
        conference.on(E.TRACK_MUTE_CHANGED, track => emit('track_mute_changed', {
            id: track.isLocal() ? conference.myUserId() : track.getParticipantId(),
            kind: track.getType(),
            muted: track.isMuted(),
            local: track.isLocal()
        }));
        conference.on(E.TRACK_ADDED, track => {
            if (track.isLocal()) {
                return;
            }
            const id = track.getParticipantId();

            (state.remote[id] = state.remote[id] || []).push(track);
            attach(track);
            emit('remote_track_added', {
                id,
                kind: track.getType(),
                muted: track.isMuted(),
                p2p: Boolean(track.isP2P),
                sourceName: track.getSourceName ? track.getSourceName() : null
            });
        });
        conference.on(E.TRACK_REMOVED, track => {
            if (!track.isLocal()) {
                emit('remote_track_removed', { id: track.getParticipantId(), kind: track.getType() });
            }
        });
        conference.on(E.P2P_STATUS, (conf, p2p) => emit('p2p_status', { p2p }));
        conference.on(E.MESSAGE_RECEIVED, (id, text, ts) => emit('message_received', { id, text, ts }));
        conference.on(E.PRIVATE_MESSAGE_RECEIVED, (id, text, ts) =>
            emit('private_message_received', { id, text, ts }));
        conference.on(E.KICKED, (actor, reason) => emit('kicked', {
            actor: actor && actor.getId ? actor.getId() : null,
            reason: describe(reason)
        }));
        conference.on(E.PARTICIPANT_KICKED, (actor, kicked, reason) => emit('participant_kicked', {
            actor: actor && actor.getId ? actor.getId() : null,
            id: kicked && kicked.getId ? kicked.getId() : null,
            reason: describe(reason)
        }));
        conference.on(E.LOCK_STATE_CHANGED, locked => emit('lock_state_changed', { locked }));
        conference.on(E.MEMBERS_ONLY_CHANGED, enabled => emit('members_only_changed', { enabled }));
        conference.on(E.LOBBY_USER_JOINED, (id, displayName) => emit('lobby_user_joined', { id, displayName }));
        conference.on(E.LOBBY_USER_UPDATED, (id, participant) => emit('lobby_user_updated', {
            id,
            participant: describe(participant)
        }));
        conference.on(E.LOBBY_USER_LEFT, id => emit('lobby_user_left', { id }));

        // What other participants put in their presence, as lib-jitsi-meet parsed it: lets a
        // test see a mute or name change on the wire even where the 2021 library's own track
        // bookkeeping is racy.
        for (const element of [ 'audiomuted', 'videomuted', 'SourceInfo', 'nick' ]) {
            conference.room.addPresenceListener(element, (node, id) => {
                if (id && id !== 'focus' && id !== conference.myUserId()) {
                    emit('presence_element', { id, element, value: node.value });
                }
            });
        }
    }

    let initialised = false;

    async function join(opts) {
        if (!initialised) {
            // No sourceNameSignaling: unfinished in this 2021 build (muting then sends nothing).
            JitsiMeetJS.init({ disableAudioLevels: false });
            JitsiMeetJS.setLogLevel(JitsiMeetJS.logLevels.INFO);
            initialised = true;
        }
        state.options = opts;
        state.connection = await connect(opts);
        state.tracks = [];
        const devices = [];

        if (opts.audio) {
            devices.push('audio');
        }
        if (opts.video) {
            devices.push('video');
        }
        if (devices.length) {
            state.tracks = await JitsiMeetJS.createLocalTracks({ devices });
        }
        const conference = state.connection.initJitsiConference(opts.room, {
            p2p: { enabled: opts.p2p, stunServers: [] },
            disableSimulcast: true,
            openBridgeChannel: false
        });

        state.conference = conference;
        listen(conference);
        for (const track of state.tracks) {
            await conference.addTrack(track);
        }
        if (opts.displayName) {
            conference.setDisplayName(opts.displayName);
        }
        conference.join(opts.roomPassword || undefined);

        return { jid: state.connection.xmpp.connection.jid };
    }

    function localTrack(kind) {
        const track = state.tracks.find(t => t.getType() === kind);

        if (!track) {
            throw new Error(`no local ${kind} track`);
        }

        return track;
    }

    // The 2021 build updates <audiomuted>/<videomuted> only when its peer connection's local
    // sources change, which a plain mute does not always cause; so after muting we let it
    // check (its own _setTrackMuteStatus) and send presence if the state changed.
    async function setMuted(kind, muted) {
        const track = localTrack(kind);

        await (muted ? track.mute() : track.unmute());
        const conf = state.conference;

        if (conf && conf.room && conf._setTrackMuteStatus(kind, track, track.isMuted())) {
            conf.room.sendPresence();
        }
    }

    function conference() {
        if (!state.conference) {
            throw new Error('not in a conference');
        }

        return state.conference;
    }

    async function inboundStats() {
        const result = { p2p: false, audio: null, video: null, iceState: null };
        const conf = state.conference;
        const session = conf && (conf.p2pJingleSession || conf.jvbJingleSession);

        if (!session || !session.peerconnection) {
            return result;
        }
        result.p2p = Boolean(conf.p2pJingleSession);
        result.iceState = session.peerconnection.peerconnection.iceConnectionState;
        const report = await session.peerconnection.getStats();

        report.forEach(stat => {
            if (stat.type !== 'inbound-rtp') {
                return;
            }
            const kind = stat.kind || stat.mediaType;
            const entry = result[kind] || {
                packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, audioLevel: 0, totalAudioEnergy: 0
            };

            entry.packetsReceived += stat.packetsReceived || 0;
            entry.bytesReceived += stat.bytesReceived || 0;
            entry.framesDecoded += stat.framesDecoded || 0;
            entry.audioLevel = Math.max(entry.audioLevel, stat.audioLevel || 0);
            entry.totalAudioEnergy += stat.totalAudioEnergy || 0;
            result[kind] = entry;
        });

        return result;
    }

    window.rig = {
        join,
        async leave() {
            if (state.conference) {
                // A peer that never got in (refused, denied) waits in vain for its leave
                // to be confirmed; do not let that hold up the test.
                await Promise.race([
                    state.conference.leave().catch(() => null),
                    new Promise(resolve => setTimeout(resolve, 2000))
                ]);
                state.conference = null;
            }
            for (const track of state.tracks) {
                await track.dispose();
            }
            state.tracks = [];
            if (state.connection) {
                state.connection.disconnect();
                state.connection = null;
            }
        },
        rejoin(password) {
            conference().join(password || undefined);
        },
        myId() {
            return state.conference ? state.conference.myUserId() : null;
        },
        isModerator() {
            return conference().isModerator();
        },
        setDisplayName(name) {
            conference().setDisplayName(name);
        },
        async mute(kind) {
            await setMuted(kind, true);
        },
        async unmute(kind) {
            await setMuted(kind, false);
        },
        // A participant who joined without that device switches it on: what jitsi-meet
        // does then (a new local track added to the conference: source-add to the others).
        async addTrack(kind) {
            const [ track ] = await JitsiMeetJS.createLocalTracks({ devices: [ kind ] });

            state.tracks.push(track);
            await conference().addTrack(track);
        },
        // ... and switches it off again as a removed track (source-remove), not a mute.
        async removeTrack(kind) {
            const track = localTrack(kind);

            await conference().removeTrack(track);
            state.tracks = state.tracks.filter(t => t !== track);
            await track.dispose();
        },
        async lock(password) {
            await conference().lock(password);
        },
        async unlock() {
            await conference().unlock();
        },
        async enableLobby() {
            await conference().enableLobby();
        },
        disableLobby() {
            conference().disableLobby();
        },
        async joinLobby(displayName, email) {
            await conference().joinLobby(displayName, email);
        },
        lobbyApprove(id) {
            conference().lobbyApproveAccess(id);
        },
        lobbyDeny(id) {
            conference().lobbyDenyAccess(id);
        },
        sendChat(text) {
            conference().sendTextMessage(text);
        },
        sendPrivateChat(id, text) {
            conference().sendPrivateTextMessage(id, text);
        },
        kick(id, reason) {
            conference().kickParticipant(id, reason);
        },
        muteParticipant(id, kind) {
            conference().muteParticipant(id, kind);
        },
        participants() {
            return conference().getParticipants().map(p => ({
                id: p.getId(),
                displayName: p.getDisplayName() || null,
                role: p.getRole()
            }));
        },
        inboundStats
    };

})();
