-- The rig's lobby: on the wire what Jitsi's mod_muc_lobby_rooms does (jitsi-signaling.md §5),
-- written for the Treffpunkt test rig against Prosody 0.12's MUC.
--
-- Load on the main VirtualHost, with
--   main_muc  = "conference.<domain>"   -- the conference MUC
--   lobby_muc = "lobby.<domain>"        -- a MUC component for the lobby rooms
--
-- * The domain's disco#info names the lobby service (identity component/lobbyrooms),
--   which is how lib-jitsi-meet learns that lobbies exist.
-- * A moderator switching the main room to members-only (muc#owner form,
--   muc#roomconfig_membersonly) opens <node>@lobby.<domain>; switching it off destroys
--   that lobby room pointing knockers at the main room (<destroy jid='main room'/>).
-- * A non-member joining a members-only room with a lobby gets
--   registration-required (code 407) carrying the lobby room JID, inside <error/> in
--   the jitmeet namespace and again at the top level for older clients; without a
--   display name it gets not-acceptable + <displayname-required/> (code 406).  The room
--   password, if right, lets one in as a member instead.
-- * Admission is Prosody's own mediated invite from the main room, which makes the
--   invitee a member of a members-only room; rejection is a kick from the lobby room.
-- * In a lobby room, moderators of the main room are owners (so they may kick), and
--   knockers see only their own presence.

local st = require "util.stanza";
local jid = require "util.jid";
local filters = require "util.filters";

local NS_MUC = "http://jabber.org/protocol/muc";
local NS_MUC_USER = "http://jabber.org/protocol/muc#user";
local NS_NICK = "http://jabber.org/protocol/nick";
local NS_JITMEET = "http://jitsi.org/jitmeet";

local main_muc = module:get_option_string("main_muc");
local lobby_muc = module:get_option_string("lobby_muc");
if not main_muc or not lobby_muc then
	module:log("error", "rig lobby needs main_muc and lobby_muc");
	return;
end

module:add_identity("component", "lobbyrooms", lobby_muc);

local main_service, lobby_service;   -- the two hosts' mod_muc, once loaded

local function lobby_jid_for(room)
	return jid.node(room.jid) .. "@" .. lobby_muc;
end

local function main_room_of(lobby_room)
	return main_service and main_service.get_room_from_jid(jid.node(lobby_room.jid) .. "@" .. main_muc);
end

local function lobby_room_of(room)
	local lobby_jid = room._data.rig_lobby;
	return lobby_jid and lobby_service and lobby_service.get_room_from_jid(lobby_jid);
end

local function open_lobby(room)
	if lobby_room_of(room) then return false; end
	local lobby_room = lobby_service.create_room(lobby_jid_for(room));
	-- It must outlive moments without occupants while the lobby is on.
	lobby_room:set_persistent(true);
	room._data.rig_lobby = lobby_room.jid;
	module:log("info", "lobby %s opened for %s", lobby_room.jid, room.jid);
	return true;
end

local function close_lobby(room, newjid)
	local lobby_room = lobby_room_of(room);
	room._data.rig_lobby = nil;
	if lobby_room then
		lobby_room:set_persistent(false);
		lobby_room:destroy(newjid, "Lobby room closed.");
		module:log("info", "lobby %s closed", lobby_room.jid);
	end
end

-- The registration-required answer carrying the lobby room, as Jitsi sends it.
local function lobby_error(stanza, lobby_jid)
	-- error_reply leaves the cursor inside <error/>; up() so the rest goes after it.
	local reply = st.error_reply(stanza, "auth", "registration-required"):up();
	reply.tags[1].attr.code = "407";
	reply.tags[1]:tag("lobbyroom", { xmlns = NS_JITMEET }):text(lobby_jid):up();
	-- Older clients (lib-jitsi-meet before 2021-12) read a top-level <lobbyroom/>.
	reply:tag("lobbyroom"):text(lobby_jid):up();
	reply:tag("x", { xmlns = NS_MUC }):up();
	return reply;
end

local function display_name_error(stanza)
	local reply = st.error_reply(stanza, "modify", "not-acceptable"):up();
	reply.tags[1].attr.code = "406";
	reply.tags[1]:tag("displayname-required", { xmlns = NS_JITMEET, lobby = "true" }):up();
	reply:tag("x", { xmlns = NS_MUC }):up();
	return reply;
end

local function setup_main(host_module)
	host_module:hook("muc-config-submitted", function(event)
		local room, actor = event.room, event.actor;
		if jid.node(actor) == "focus" then return; end
		-- Fired before the fields are applied: read the submitted value, as Jitsi does
		-- (a form without the field switches the lobby off).
		if event.fields["muc#roomconfig_membersonly"] then
			if open_lobby(room) then
				event.status_codes["104"] = true;
			end
		elseif room._data.rig_lobby then
			close_lobby(room, room.jid);
			event.status_codes["104"] = true;
		end
	end);

	host_module:hook("muc-room-destroyed", function(event)
		if event.room._data.rig_lobby then
			close_lobby(event.room, nil);
		end
	end, 1);

	host_module:hook("muc-disco#info", function(event)
		local room = event.room;
		if room._data.rig_lobby and room:get_members_only() then
			table.insert(event.form, { name = "muc#roominfo_lobbyroom", label = "Lobby room jid" });
			event.formdata["muc#roominfo_lobbyroom"] = room._data.rig_lobby;
		end
	end);

	-- Before Prosody's own members-only check (-5) and its password check (-20).
	host_module:hook("muc-occupant-pre-join", function(event)
		local room, stanza, occupant = event.room, event.stanza, event.occupant;
		if not room:get_members_only() or not room._data.rig_lobby then return; end
		if jid.resource(occupant.nick) == "focus" then return; end
		local join = stanza:get_child("x", NS_MUC);
		if not join then return; end
		local from = stanza.attr.from;
		local affiliation = room:get_affiliation(from) or "none";

		local password = join:get_child_text("password", NS_MUC);
		if password and room:get_password() and password == room:get_password() then
			if affiliation == "none" then
				room:set_affiliation(true, jid.bare(from), "member");
			end
			return;   -- the password check at -20 lets it in
		end
		if affiliation ~= "none" then
			-- An admitted knocker: members need the room password too, so supply it.
			if affiliation == "member" and room:get_password() and not password then
				join:tag("password", { xmlns = NS_MUC }):text(room:get_password()):up();
			end
			return;
		end
		local display_name = stanza:get_child_text("nick", NS_NICK);
		if not display_name or display_name == "" then
			event.origin.send(display_name_error(stanza));
			return true;
		end
		event.origin.send(lobby_error(stanza, room._data.rig_lobby));
		return true;
	end, -4);
end

local function setup_lobby(service)
	-- A lobby room's affiliations are those of its main room: moderators there are owners
	-- here (they may kick knockers), everyone else is nobody.
	service.room_mt.get_affiliation = function(lobby_room, who)
		local room = main_room_of(lobby_room);
		return room and room:get_affiliation(who) or "none";
	end
end

-- Knockers see only their own presence in a lobby room; owners of the main room see all.
local function filter_lobby_stanza(stanza, session)
	local from = stanza.attr and stanza.attr.from;
	if not from or not lobby_service or jid.host(from) ~= lobby_muc then return stanza; end
	local lobby_room = lobby_service.get_room_from_jid(jid.bare(from));
	local room = lobby_room and main_room_of(lobby_room);
	if not room then return stanza; end
	local to_owner = room:get_affiliation(stanza.attr.to) == "owner";
	if stanza.name == "presence" then
		local x = stanza:get_child("x", NS_MUC_USER);
		if not x or stanza.attr.type == "unavailable" or to_owner then return stanza; end
		for status in x:childtags("status") do
			if status.attr.code == "110" then return stanza; end
		end
		return nil;
	elseif stanza.name == "message" then
		local occupant = lobby_room:get_occupant_by_nick(from);
		local from_owner = occupant and room:get_affiliation(occupant.bare_jid) == "owner";
		if to_owner or from_owner then return stanza; end
		return nil;
	end
	return stanza;
end

local function add_session_filter(session)
	filters.add_filter(session, "stanzas/out", filter_lobby_stanza, -1);
end
filters.add_filter_hook(add_session_filter);

function module.unload()
	filters.remove_filter_hook(add_session_filter);
end

-- The MUC components are activated after this VirtualHost: wait for their mod_muc.
local function when_muc_loaded(host, callback)
	local done = false;
	local function try()
		if done then return true; end
		local h = prosody.hosts[host];
		if h and h.modules.muc then
			done = true;
			callback(h.modules.muc);
			return true;
		end
		if h then
			h.events.add_handler("module-loaded", function(event)
				if event.module == "muc" then try(); end
			end);
		end
		return false;
	end
	if not try() then
		module:hook_global("host-activated", function(activated)
			if activated == host then try(); end
		end);
	end
end

when_muc_loaded(main_muc, function(service)
	main_service = service;
	setup_main(module:context(main_muc));
end);
when_muc_loaded(lobby_muc, function(service)
	lobby_service = service;
	setup_lobby(service);
end);
