"""Word lists for suggested room names and for spotting guessable ones.

Suggestions use only ASCII letters: umlauts and ß are written differently by
different people and keyboards (``ü``/``ue``), so a suggested name must survive
being read aloud or typed on a phone.  German adjectives are stems; the strong
ending is chosen from the noun's gender (``mutiger Fuchs``, ``mutige Eule``,
``mutiges Pferd``).
"""

from __future__ import annotations

GERMAN_ADJECTIVE_STEMS: tuple[str, ...] = (
    "bunt", "hell", "klar", "mutig", "ruhig", "still", "weit", "wild", "zart", "flink",
    "frisch", "froh", "heiter", "leis", "munter", "sanft", "schlau", "stolz", "treu", "warm",
    "wach", "blau", "gelb", "rot", "golden", "silbern", "tief", "lang", "rund", "glatt",
    "fein", "frei", "jung", "neu", "schnell", "sicher", "bequem", "emsig", "freundlich",
    "friedlich", "geschickt", "gesund", "klug", "kostbar", "kraftvoll", "lustig", "neugierig",
    "pfiffig", "rasch", "riesig", "sonnig", "spannend", "stark", "tapfer", "wendig", "witzig",
    "wunderbar", "zahm", "zauberhaft", "leuchtend", "funkelnd", "glitzernd", "schimmernd",
    "strahlend", "summend", "tanzend", "singend", "lachend", "springend", "fliegend",
    "schwebend", "wandernd", "eifrig", "ehrlich", "elegant", "famos", "fantastisch",
    "festlich", "feurig", "flauschig", "gelassen", "gewandt", "herrlich", "hurtig", "kess",
    "knackig", "knuffig", "kunterbunt", "kuschelig", "lebhaft", "locker", "magisch",
    "malerisch", "mild", "modern", "nett", "niedlich", "praktisch", "quirlig", "rosig",
    "saftig", "sauber", "schick", "schlicht", "selten", "sommerlich", "spontan", "sportlich",
    "stabil", "stattlich", "tadellos", "toll", "verspielt", "wacker", "wohlig", "zackig",
    "winterlich", "herbstlich", "frostig", "eisig", "windig", "wolkig", "sternklar",
    "kupfern", "samtig", "seidig", "steinern",
)

#: noun → grammatical gender ("m", "f", "n")
GERMAN_NOUNS: dict[str, str] = {
    # masculine
    "Fuchs": "m", "Dachs": "m", "Falke": "m", "Adler": "m", "Biber": "m", "Igel": "m",
    "Hirsch": "m", "Luchs": "m", "Otter": "m", "Rabe": "m", "Specht": "m", "Kranich": "m",
    "Reiher": "m", "Wal": "m", "Delfin": "m", "Tiger": "m", "Panda": "m", "Pinguin": "m",
    "Elch": "m", "Wolf": "m", "Berg": "m", "Fluss": "m", "Wald": "m", "See": "m",
    "Stern": "m", "Mond": "m", "Komet": "m", "Planet": "m", "Garten": "m", "Turm": "m",
    "Hafen": "m", "Leuchtturm": "m", "Apfel": "m", "Kompass": "m", "Drache": "m",
    "Ballon": "m", "Anker": "m", "Kessel": "m", "Schatz": "m", "Regenbogen": "m",
    "Wind": "m", "Nebel": "m", "Gipfel": "m", "Kiesel": "m", "Bach": "m", "Pfad": "m",
    "Brunnen": "m", "Zug": "m", "Kahn": "m", "Schirm": "m", "Hut": "m", "Kakadu": "m",
    "Papagei": "m", "Dampfer": "m", "Kobold": "m", "Zauberer": "m", "Ritter": "m",
    # feminine
    "Eule": "f", "Amsel": "f", "Biene": "f", "Ente": "f", "Gans": "f", "Katze": "f",
    "Maus": "f", "Robbe": "f", "Schnecke": "f", "Taube": "f", "Lerche": "f", "Meise": "f",
    "Libelle": "f", "Wolke": "f", "Sonne": "f", "Insel": "f", "Wiese": "f", "Quelle": "f",
    "Blume": "f", "Tulpe": "f", "Rose": "f", "Linde": "f", "Eiche": "f", "Birke": "f",
    "Buche": "f", "Tanne": "f", "Kerze": "f", "Laterne": "f", "Harfe": "f", "Geige": "f",
    "Trommel": "f", "Feder": "f", "Muschel": "f", "Perle": "f", "Burg": "f", "Kutsche": "f",
    "Rakete": "f", "Welle": "f", "Bucht": "f", "Lichtung": "f", "Oase": "f", "Giraffe": "f",
    "Hummel": "f", "Kastanie": "f", "Flamme": "f", "Melodie": "f", "Schaukel": "f",
    "Trompete": "f", "Zitrone": "f", "Erdbeere": "f", "Tomate": "f", "Kiwi": "f",
    # neuter
    "Pferd": "n", "Reh": "n", "Schaf": "n", "Lamm": "n", "Zebra": "n", "Kamel": "n",
    "Nashorn": "n", "Boot": "n", "Schiff": "n", "Segel": "n", "Haus": "n", "Schloss": "n",
    "Dorf": "n", "Feld": "n", "Tal": "n", "Meer": "n", "Ufer": "n", "Licht": "n",
    "Feuer": "n", "Fenster": "n", "Buch": "n", "Bild": "n", "Lied": "n", "Glas": "n",
    "Rad": "n", "Zelt": "n", "Nest": "n", "Blatt": "n", "Moos": "n", "Klavier": "n",
    "Horn": "n", "Echo": "n", "Wunder": "n", "Abenteuer": "n", "Kissen": "n", "Radio": "n",
    "Karussell": "n", "Einhorn": "n", "Krokodil": "n", "Kaninchen": "n", "Murmeltier": "n",
    "Gewitter": "n", "Fernrohr": "n", "Floss": "n", "Paket": "n",
}

ENGLISH_ADJECTIVES: tuple[str, ...] = (
    "Bright", "Calm", "Clear", "Brave", "Quiet", "Still", "Wide", "Wild", "Gentle", "Swift",
    "Fresh", "Happy", "Cheerful", "Soft", "Clever", "Proud", "Loyal", "Warm", "Awake", "Blue",
    "Yellow", "Red", "Golden", "Silver", "Deep", "Long", "Round", "Smooth", "Fine", "Free",
    "Young", "New", "Quick", "Steady", "Cosy", "Busy", "Friendly", "Peaceful", "Skilful",
    "Healthy", "Wise", "Precious", "Mighty", "Merry", "Curious", "Nimble", "Rapid", "Giant",
    "Sunny", "Strong", "Bold", "Agile", "Witty", "Wonderful", "Tame", "Magic", "Shining",
    "Sparkling", "Glowing", "Radiant", "Humming", "Dancing", "Singing", "Laughing", "Jumping",
    "Flying", "Floating", "Wandering", "Dreaming", "Eager", "Honest", "Elegant", "Famous",
    "Festive", "Fiery", "Fluffy", "Relaxed", "Graceful", "Lovely", "Speedy", "Lively",
    "Cuddly", "Colourful", "Mild", "Modern", "Kind", "Handy", "Rosy", "Juicy", "Tidy",
    "Smart", "Simple", "Rare", "Summery", "Sporty", "Stable", "Stately", "Flawless", "Great",
    "Playful", "Hardy", "Snappy", "Wintry", "Autumnal", "Frosty", "Icy", "Windy", "Cloudy",
    "Starry", "Copper", "Velvet", "Silky", "Stony", "Polished", "Noble", "Patient", "Sturdy",
    "Lucky", "Jolly", "Crisp", "Amber", "Violet", "Emerald", "Scarlet", "Misty",
)

ENGLISH_NOUNS: tuple[str, ...] = (
    "Fox", "Badger", "Falcon", "Eagle", "Beaver", "Hedgehog", "Deer", "Lynx", "Otter",
    "Raven", "Woodpecker", "Crane", "Heron", "Whale", "Dolphin", "Tiger", "Panda", "Penguin",
    "Moose", "Wolf", "Mountain", "River", "Forest", "Lake", "Star", "Moon", "Comet", "Planet",
    "Garden", "Tower", "Harbour", "Lighthouse", "Apple", "Compass", "Dragon", "Balloon",
    "Anchor", "Kettle", "Treasure", "Rainbow", "Breeze", "Meadow", "Summit", "Pebble",
    "Brook", "Path", "Fountain", "Train", "Canoe", "Umbrella", "Hat", "Parrot", "Steamer",
    "Goblin", "Wizard", "Knight", "Owl", "Blackbird", "Bee", "Duck", "Goose", "Cat", "Mouse",
    "Seal", "Snail", "Dove", "Lark", "Dragonfly", "Cloud", "Sun", "Island", "Spring",
    "Flower", "Tulip", "Rose", "Linden", "Oak", "Birch", "Beech", "Fir", "Candle", "Lantern",
    "Harp", "Violin", "Drum", "Feather", "Shell", "Pearl", "Castle", "Carriage", "Rocket",
    "Wave", "Bay", "Clearing", "Oasis", "Giraffe", "Bumblebee", "Chestnut", "Flame",
    "Melody", "Swing", "Trumpet", "Lemon", "Strawberry", "Tomato", "Kiwi", "Horse", "Lamb",
    "Zebra", "Camel", "Rhino", "Boat", "Ship", "Sail", "House", "Village", "Field", "Valley",
    "Sea", "Shore", "Light", "Fire", "Window", "Book", "Picture", "Song", "Wheel", "Tent",
    "Nest", "Leaf", "Piano", "Echo", "Adventure", "Cushion", "Radio", "Carousel", "Unicorn",
    "Crocodile", "Rabbit", "Marmot", "Telescope", "Raft", "Parcel",
)

#: Words people reach for when they name a room; a name made of these is easy to guess.
COMMON_ROOM_WORDS: frozenset[str] = frozenset({
    # German
    "besprechung", "konferenz", "videokonferenz", "treffen", "treffpunkt", "sitzung", "raum",
    "meinraum", "unserraum", "test", "testraum", "probe", "familie", "familienrat", "freunde",
    "stammtisch", "elternabend", "elternbeirat", "gemeinderat", "stadtrat", "ortschaftsrat",
    "ausschuss", "buergersprechstunde", "bürgersprechstunde", "sprechstunde", "beratung",
    "verein", "vorstand", "mitglieder", "schule", "klasse", "unterricht", "kita", "kindergarten",
    "hort", "chor", "orchester", "hallo", "moin", "servus", "tschuess", "oma", "opa",
    "mama", "papa", "eltern", "kinder", "geburtstag", "weihnachten", "ostern", "team",
    "teamtreffen", "teammeeting", "jour", "fixe", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "morgen", "abend", "heute", "gruppe",
    "arbeitsgruppe", "projekt", "kurs", "seminar", "workshop", "vortrag", "sport", "fussball",
    "feuerwehr", "kirche", "gemeinde", "rathaus", "stadt", "buero", "büro", "praxis",
    "kaffee", "kaffeepause", "mittag", "pause", "spiel", "spieleabend", "nachbarn",
    "nachbarschaft", "hilfe", "support", "info", "infoabend", "termin", "sprechzeit",
    # English
    "meeting", "meet", "room", "myroom", "conference", "call", "video", "videocall", "chat",
    "talk", "family", "friends", "group", "class", "school", "lesson", "office", "work",
    "standup", "daily", "weekly", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "hello", "hi", "party", "birthday", "christmas", "board", "council",
    "club", "church", "project", "demo", "training", "webinar", "lunch", "coffee", "games",
    "help", "admin", "guest", "guests", "public", "private", "secret", "password", "welcome",
    # tools and places people name rooms after
    "jitsi", "zoom", "skype", "teams", "online", "digital", "bretten", "rastatt",
    "unterschleissheim", "unterschleißheim", "karlsruhe", "stuttgart", "berlin", "muenchen",
    "münchen", "hamburg", "koeln", "köln", "deutschland", "germany",
})
