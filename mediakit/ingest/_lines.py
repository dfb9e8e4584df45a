"""Step 1 of :mod:`mediakit.ingest.text`: each line of a dump, and what it says about itself.

The vocabulary and shapes of page furniture (share and subscribe prompts, photo credits,
section headers that open related links or comments, datelines and bylines, CSS-like
tokens, button rows, galleries and captions) and :func:`_measure`, which splits a dump
into lines and describes each of them for the scoring steps in ``text.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

#: A run of this many words repeated :data:`GALLERY_REPEATS` times within one line marks a
#: gallery run together (see ``_repeats_a_phrase``).
GALLERY_PHRASE = 7
GALLERY_REPEATS = 5

# --------------------------------------------------------------------------------------
# Vocabulary and shapes of debris lines
# --------------------------------------------------------------------------------------

#: Phrases that mark a line of up to 35 words as page furniture: they hardly occur in
#: article prose (copyright footers, "continue reading", photo credits, cookie consent).
_STRONG_BOILERPLATE = re.compile(
    r"""
    \ball\ rights\ reserved\b | ©
    | \bclick\ here\b | \btap\ here\b
    | \b(?:story|article)\ continues?\ (?:below|after)\b | \bcontinued?\ below\b
    | \bcontinue\ reading\b | \bskip\ (?:to|ad|advert)\b
    | \b(?:delivered|straight)\ to\ your\ inbox\b | \bin\ your\ inbox\b
    | \bwe\ (?:may\ )?earn\ (?:a\ )?commission\b | \baffiliate\ links?\b
    | \bfollow\ us\b | \b(?:like|find|join)\ us\ on\b
    | \bfollow\ (?:[\w&.'-]+\ ){0,4}on\ (?:twitter|facebook|instagram|whatsapp|telegram
        |linkedin|youtube|tiktok|google\ news|snapchat|pinterest|x\b)
    | \bcookies?\b.{0,60}\b(?:accept|consent|settings|agree)
    | \b(?:download|get|install)\ (?:the|our)\ (?:\w+\ ){0,2}app\b
    | \bsign\ up\ (?:for|to|here|now|today)\b | \bsubscribe\ (?:here|now|today)\b
    | \bphoto(?:graph)?s?\ (?:by|credit|courtesy)\b | \bimage\ (?:by|credit|courtesy|source)\b
    | \b(?:getty\ images|shutterstock|istock(?:photo)?)\b | \bap\ photo\b | \bfile\ photo\b
    | \benable\ javascript\b | \bad\ ?blocker\b | \badblock
    | \b(?:modern|supported|latest\ version\ of\ your)\ browser\b | \bupdate\ your\ browser\b
    | \bfor\ (?:your\ )?personal,?\ non-commercial\ use\b | \border\ reprints\b
    | \w/(?:afp|ap|getty(?:\ images)?|reuters|epa|pool|bloomberg|sipa|zuma)\b
    | \b(?:toggle|hide|show)\ caption\b | \benlarge\ this\ image\b
    | \breplay\ more\ videos\b | ^just\ watched\b | \bmore\ videos\ \.\.\.
    | ^(?:image|photo|picture|pic|video|credit|source)s?\ ?: | credit:
    | \bunsubscribe\b | \bno\ spam\b | \byour\ inbox\b | \bnews\ alerts\b
    | \bdelivered\ (?:weekday|every|each|daily|to\ you)
    | \bcontributed\ to\ this\ (?:report|story|article)\b | ^also\ on\ \S+\.\w+\b
    | \bshare\ (?:it|this)\ with\b
    | ^(?:[\w.'’-]+\ ){1,4}(?:is|was)\ (?:an?|the)\ (?:[\w-]+\ ){0,5}(?:reporter|writer
        |correspondent|editor|columnist|journalist|contributor|producer|intern|freelancer)\b
    | ^in\ this\ (?:[\w.,]+\ ){0,6}(?:file\ )?(?:photo|image|picture)\b
    | \([^()]*?\b(?:photo|photograph|reuters|ap|afp|getty|via|handout|file|images?
        |courtesy|credit|pool)\b[^()]*\)$
    | ^\((?:this\ (?:version|story|article)|corrects|updates|adds|refiles)\b
    """,
    re.VERBOSE,
)

#: Site notices, furniture at any length (cookie banners run to a hundred words).
_NOTICE = re.compile(
    r"""\b(?:this|our)\ (?:web\ ?)?site\ uses\ cookies\b | \bwe\ use\ cookies\b
    | \bby\ (?:continuing|using)\ (?:to\ )?(?:use|browse|browsing)?\ ?(?:this|our)\ (?:web\ ?)?site\b""",
    re.VERBOSE,
)

#: A gallery counter before a caption ("1of4Grass Valley's ...", "Photo 2 of 9").
_GALLERY = re.compile(
    r"\d+of\d+|(?:image|photo|slide|picture)\ \d+\ (?:of|/)\ (?:/\ )?\d+", re.IGNORECASE
)

#: A link to another story inside the body ("More: ...", "RELATED: ...", "READ MORE: ...").
_LINK_PREFIX = re.compile(
    r"^(?:more|related|read\ (?:more|also|next)|also\ read|see\ also|watch|listen|recommended"
    r"|read|click|mehr|lesen\ sie\ auch|lire\ aussi|leia\ também|lee\ también|читайте\ также)"
    r"\s*(?::|»|>>|\|)",
    re.IGNORECASE | re.VERBOSE,
)

#: Phrases that mark a line of up to 15 words as furniture; longer lines with them are
#: usually prose ("...running an advertisement boasting that...").
_MEDIUM_BOILERPLATE = re.compile(
    r"""
    \bsign(?:ed)?\ (?:up|in)\b | \blog(?:ged)?\ ?in\b | ^you\ are\ here\b | \bregister\ (?:now|here|for\ free)\b
    | \bsubscribe\b(?!d) | \bsubscription\b | \bsubscriber\b | \bnewsletters?\b
    | \bfollow\ (?:me|him|her|them|@\w+)\b | \bcopyright\b | \bcookies?\b
    | \bprivacy\ (?:policy|notice|statement)\b | \bterms\ (?:of|and)\ (?:use|service|conditions)\b
    | \bread\ (?:more|next|also|full)\b | \bstay\ (?:updated|informed|connected|tuned)\b
    | \bhas\ been\ (?:updated|corrected)\ to\b
    | \bshare\ (?:this|on|via|the\ story|the\ article|your\ thoughts)\b
    | \b(?:advertisement|sponsored\ content|paid\ content|paid\ post)\b
    | \byour\ browser\b | \bsupplied\b$ | \bsharing\ options\b | \bshow\ more\b
    """,
    re.VERBOSE,
)

#: Words one of which every strong boilerplate phrase contains: a cheap test that spares
#: most prose lines the full search.
_STRONG_TRIGGERS = frozenset(
    """sign log login register subscribe subscription subscriber newsletter newsletters
    follow like find join cookie cookies rights copyright click tap download get install
    privacy terms story article continue continues continued read skip stay delivered
    straight inbox earn affiliate updated corrected share advertisement sponsored paid photo
    photos photograph photographs image getty shutterstock istock istockphoto ap file
    supplied enable browser blocker adblock adblocker sharing show slide toggle hide enlarge
    caption reprints non-commercial image: photo: picture: pic: video: credit: source: images:
    photos: unsubscribe spam inbox alerts reporter writer correspondent editor columnist
    journalist contributor producer intern freelancer contributed also signed logged
    replay watched""".split()
)

#: The trigger words of the strong phrases only: sentences of more than 15 words are
#: searched for those alone, and everyday words ("get", "read", "story") are left out.
_PROSE_TRIGGERS = _STRONG_TRIGGERS - frozenset(
    """get like find join read story article stay earn updated corrected share paid privacy
    terms register login log newsletter newsletters subscription subscriber sponsored
    advertisement signed logged show sharing slide supplied""".split()
)

#: Substrings of which a long line needs one to be considered a furniture box at all.
_BOX_KEYS = ("sign up", "newsletter", "subscribe", "inbox", "©", "cookie", "rights reserved")

#: Words that, on a short line (a label, a button, a menu item), mark it as furniture.
_WEAK_BOILERPLATE = re.compile(
    r"""
    \b(?:advert\w*|ads?|sponsored|promoted|share[sd]?|sharing|tweet|email|e-mail|print
    |comments?|repl(?:y|ies)|related|recommended|trending|popular|latest|most\ (?:read|viewed)
    |top\ stories|more\ (?:from|in|on|news|stories|videos?)|menu|search|close|open|loading
    |home(?:page)?|back\ to\ top|next|previous|prev|video|watch|listen|play|podcasts?|live
    |tags?|topics?|categor(?:y|ies)|sections?|archives?|contact|about\ us|jobs|careers|rss
    |feedback|report|save|bookmark|facebook|twitter|instagram|whatsapp|linkedin|youtube
    |pinterest|reddit|telegram|messenger|flipboard|copy\ link|link\ copied|toggle|caption
    |enlarge|expand|collapse|view\ (?:all|more|gallery)|see\ (?:all|more)|show\ more
    |load\ more|photos?|images?|gallery|slideshow|credit|source|editor'?s\ picks?
    |you\ (?:may|might)\ (?:also\ )?like|don'?t\ miss|must\ read|breaking\ news|updated
    |published|posted|author|written\ by|reporter|correspondent|staff|opinion|analysis
    |all|more|world|news|sports?|business|politics|entertainment|tech(?:nology)?|health
    |lifestyle|science|travel|culture|weather|local|national|markets?|the\ latest)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Headers that open the furniture after an article (related links, more stories, tags),
#: in English and a few other languages news is often scraped in.
_SECTION_END = re.compile(
    r"""^(?:\d+\s+)?(?:
    related(?:\ (?:articles?|stories|posts|news|content|coverage|links|topics|reading|videos?))?
    |recommended(?:\ (?:for\ you|stories|articles|reading|videos?))?
    |(?:you\ )?(?:may|might)\ also\ (?:like|enjoy|be\ interested\ in)|also\ read|see\ also
    |more\ (?:from|in|on|stories|news|articles|to\ read|like\ this|videos?)\b.*
    |more\ (?:\w+\ ?){1,3}
    |most\ (?:read|popular|viewed|shared|recent)\b.*|trending(?:\ (?:now|news|stories|topics))?
    |read\ (?:next|more|also)|what\ to\ read\ next|up\ next|around\ the\ web
    |top\ (?:stories|news|headlines)|latest\ (?:news|stories|articles|posts|headlines|videos?)
    |editor'?s\ picks?|popular\ (?:now|stories|posts|articles)|recent\ posts|other\ news
    |share\ this(?:\ (?:article|story|post|page))?|about\ the\ author|tags?|topics?
    |filed\ under|categories|sponsored\ (?:links|stories|content)|promoted\ stories
    |we\ recommend|like\ this\ (?:article|story)\??|(?:more\ )?about\ (?:the\ )?authors?
    |(?:über|à\ propos\ de|sobre|acerca\ de)\ (?:[\w.'’-]+\ ?){1,3}|об\ авторе|o\ autorze
    |(?:read|see)\ (?:our|the)\ (?:full\ )?coverage|keep\ reading
    |(?:lesen\ sie\ auch|mehr\ zum\ thema|weitere\ artikel|das\ könnte\ sie\ auch\ interessieren)
    |(?:à\ lire\ aussi|lire\ aussi|sur\ le\ même\ sujet|articles?\ similaires)
    |(?:leia\ também|leia\ mais|veja\ também|notícias\ relacionadas|mais\ lidas)
    |(?:lee\ también|te\ puede\ interesar|noticias\ relacionadas|más\ leídas)
    |(?:leggi\ anche|articoli\ correlati|baca\ juga|berita\ terkait)
    |(?:читайте\ также|вам\ также\ может\ быть\ интересно|похожие\ (?:статьи|записи|новости)
    |свежие\ записи|новости\ по\ теме|関連記事|相关文章|相關文章|관련\ ?기사)
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Lines that open a comment section: below them, prose is readers' talk, not the article.
_COMMENTS = re.compile(
    r"""^(?:
    (?:\d+\s+)?(?:comments?|responses?|replies|reactions)(?:\s*\(\d+\))?
    |(?:\d+|one|no)\s+(?:comments?|responses?|replies|thoughts)\b.*
    |(?:leave|post|add|write|submit)\ (?:a|your)\ (?:comment|reply|response)\b.*
    |join\ the\ (?:discussion|conversation)|show\ comments|view\ comments|load\ comments
    |comments?\ (?:are|have\ been)\ closed\b.*|conversation|discussion
    |(?:kommentare?|commentaires?|comentários?|comentarios?|commenti|komentar
    |комментари[йи]|добавить\ комментарий|оставить\ комментарий)(?:\s*\(\d+\))?
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: A reader's name over a comment ("jdoe says:", "Anna wrote:").
_COMMENTER = re.compile(r"^.{1,60}\b(?:says|said|wrote|commented|writes)\s*:$", re.IGNORECASE)

#: A token written like a CSS class or id ("article-main", "ad_slot_1", "js-share").
_CSS_TOKEN = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$")

#: Several capitalised words fused without spaces ("FacebookTwitterWhatsappLinkedin").
_FUSED_LABELS = re.compile(r"(?:[A-Z][a-z]+){3,}|(?:[A-Z][a-z]+){2,}(?:[A-Z]{2,})")

#: Dates, times and relative ages, as on datelines and teaser lists ("2H ago").
_DATE_PART = re.compile(
    r"""
    \b\d{1,2}:\d{2}\b | \b(?:19|20)\d{2}\b | \b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b
    | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\ \d{1,2}\b
    | \b\d{1,2}\ (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b
    | \b\d+\s*(?:[smhd]|mins?|minutes?|hours?|hrs?|days?|weeks?|months?)\ ago\b
    | \b(?:yesterday|today)\b | \b[ap]\.?m\.?\b | \b(?:EST|EDT|PST|PDT|GMT|UTC|CET|IST)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Words that introduce a dateline or byline ("Updated on:", "By Reuters").
_BYLINE = re.compile(
    r"^(?:by|from|updated|published|posted|last\ updated|first\ published|written\ by"
    r"|reporting\ by|edited\ by|von|par|por|di|oleh|автор|опубликовано)\b",
    re.IGNORECASE | re.VERBOSE,
)

#: Characters that end a sentence, in the scripts news is written in.
_SENTENCE_END = ".!?。！？।؟"
_CLOSERS = "\"'”’»)]*"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------------------
# Step 1: describe each line
# --------------------------------------------------------------------------------------


@dataclass
class _Line:
    """One non-blank line of the dump and what the text alone says about it."""

    index: int  # position among the non-blank lines
    text: str
    block: int  # lines not separated by a blank line share a block
    units: int = 0  # words (CJK characters count half a word each)
    sentence: bool = False  # ends like a sentence
    boiler: bool = False  # page furniture by its vocabulary or shape
    section_end: bool = False  # a header that opens comments / related links
    dateline: bool = False  # a date, time, byline or "published" line
    listing: bool = False  # tags or keywords run together ("a, b, c, d" or no punctuation)
    comments: bool = False  # opens the readers' comments
    commenter: bool = False  # "name says:" over a reader's comment
    repeated: bool = False  # a headline-like line the page shows more than once
    in_list: bool = False  # one item of a block of lines that mostly do not end sentences
    key: str = ""  # normalised text, to spot repeats
    flags: list[str] = field(default_factory=list)


_EDGE_PUNCTUATION = " .,:;!?-–—|•·*>»«<\"'“”‘’()[]"


def _normalise(text: str) -> str:
    """Casefolded with spaces collapsed and edge punctuation stripped, to spot repeats."""
    return " ".join(text.split()).casefold().strip(_EDGE_PUNCTUATION)


def _same_words(a: str, b: str) -> bool:
    """True when two lines have the same words, whatever their punctuation and case."""
    return _WORD.findall(a.casefold()) == _WORD.findall(b.casefold())


def _units(text: str, *, spaced: bool = False) -> int:
    """Length in words; scripts written without spaces count one word per two characters.

    ``spaced`` says that whitespace in ``text`` is already collapsed to single spaces.
    """
    words = text.count(" ") + 1 if spaced else len(text.split())
    if text.isascii() or max(text) < "\u3040":  # no CJK character
        return words
    cjk = len(_CJK.findall(text))
    return max(words, cjk // 2 + (words if cjk < len(text) / 2 else 0))


def _ends_sentence(text: str) -> bool:
    """True when the line ends with sentence punctuation, possibly before a closing quote."""
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END and not stripped.endswith(("...", "…"))


def _is_css_like(text: str) -> bool:
    """A line made only of class-name-like tokens ("article-main", "col-md-8 share_bar")."""
    tokens = text.split()
    return 0 < len(tokens) <= 4 and all(_CSS_TOKEN.match(t) for t in tokens)


def _is_fused_labels(text: str) -> bool:
    """Button labels run together without spaces ("FacebookTwitterWhatsappLinkedin")."""
    tokens = text.split()
    return 0 < len(tokens) <= 3 and any(_FUSED_LABELS.fullmatch(t) for t in tokens)


#: Labels of share and follow buttons, which run together into one line on many pages.
_BUTTONS = frozenset(
    """facebook twitter email e-mail linkedin reddit pinterest whatsapp share tweet print
    comment comments messenger flipboard telegram copy link mail sms google+ google tumblr
    pocket xing vk instagram youtube rss save""".split()
)


def _is_button_row(text: str, units: int) -> bool:
    """A row of share buttons ("Facebook Twitter Email LinkedIn Reddit Pinterest")."""
    if not 2 <= units <= 15:
        return False
    words = text.casefold().replace("|", " ").replace("/", " ").split()
    return sum(word.strip(".,:;") in _BUTTONS for word in words) >= max(2, 0.7 * len(words))


def _is_boilerplate(text: str, units: int) -> bool:
    """Page furniture judged by vocabulary: strong phrases on paragraphs of up to 35
    words, medium ones up to 15, three together on anything up to 80 (a newsletter
    box run into one line), weak words only on labels and menu items of a few words."""
    if units <= 200 and ("cookie" in text or "by continuing" in text or "by using" in text):
        if _NOTICE.search(text.casefold()):
            return True
    if units > 80:
        return False
    if _GALLERY.match(text):
        return True
    if units <= 30 and _LINK_PREFIX.match(text):
        return True
    folded = text.casefold()
    if units > 35:
        # only a run-together newsletter or footer box is furniture at this length
        if not any(key in folded for key in _BOX_KEYS):
            return False
    # "©", "Name/AFP" and "(Photo: ...)" credits are not separate words
    if (
        "©" in text
        or "/" in text
        or text.endswith(")")
        or text.startswith(("(", "In this "))
        or folded.startswith("you are here")
        or "credit:" in folded
        or " us on " in folded
        or not (_STRONG_TRIGGERS if units <= 15 else _PROSE_TRIGGERS).isdisjoint(folded.split())
    ):
        if units <= 35 and _STRONG_BOILERPLATE.search(folded):
            return True
        if units <= 15 and _MEDIUM_BOILERPLATE.search(folded):
            return True
        if units > 15 and any(key in folded for key in _BOX_KEYS):
            hits = len(_STRONG_BOILERPLATE.findall(folded))
            if hits + len(_MEDIUM_BOILERPLATE.findall(folded)) >= 3:
                return True
    if units > 35:
        return False
    if units <= 3 and _WEAK_BOILERPLATE.search(text) and not _ends_sentence(text):
        return True
    if _is_css_like(text) or _is_fused_labels(text) or _is_button_row(text, units):
        return True
    # a line of symbols, digits or a single character ("|", "•", "12", "»")
    return not any(ch.isalpha() for ch in text) and units <= 3


def _is_listing(text: str, units: int, sentence: bool) -> bool:
    """Tag lists and keyword clouds: many short comma-separated items, or a long run of
    words without any punctuation at all."""
    if sentence or units < 6:
        return False
    separators = sum(text.count(mark) for mark in ",|;•·")
    if separators >= 3:
        items = [item for item in re.split(r"[,|;•·]", text) if item.strip()]
        if len(items) >= 4 and units / len(items) <= 3.5:
            return True
    return units >= 25 and not any(ch in text for ch in ".,;:!?()\"“”'’。、，")


def _is_dateline(text: str, units: int) -> bool:
    """Datelines and bylines: short lines that are mostly dates, times or "By ..." credits."""
    if units > 14:
        return False
    if _ends_sentence(text) and units > 6:
        # "Nov. 20, 2019 Updated: Nov. 20, 2019 1:35 a.m." ends with a full stop too
        return len(_DATE_PART.findall(text)) >= 3
    if _BYLINE.match(text) and units <= 12:
        return True
    if text.endswith(":"):
        return False
    hits = len(_DATE_PART.findall(text))
    return (hits >= 2 and units <= 10) or (hits == 1 and units <= 5)


#: A link card run into a sentence: the name repeated in full, its surname fused to the
#: person's latest headlines, closed by a "MORE" button ("President Trump Donald John
#: TrumpGOP senators balk at ... votes MORE’s tweet" -> "President Trump’s tweet").
_LINK_CARD = re.compile(
    r"\b([A-Z][\w'’-]+) (?:\(?[A-Z][\w.'’()-]* ){1,4}\1(?=[A-Z])[^\n]{0,600}? MORE(?=\W|$)"
)


def _split_blocks(raw: str) -> list[tuple[int, str]]:
    """Non-blank lines with their block number (blank lines separate blocks), whitespace
    collapsed, and hard-wrapped prose joined back: a line of 40+ characters that does not
    end a sentence continues on the next line of its block when that one starts in lower
    case ("...blocked roads" / "and cut power..."). Link cards run into a sentence
    (``_LINK_CARD``) are cut out of the line."""
    pieces: list[tuple[int, str]] = []
    block = 0
    blank = True
    for piece in raw.splitlines():
        text = " ".join(piece.split())
        if " MORE" in text:
            text = _LINK_CARD.sub(r"\1", text)
        if not text or (
            not text.isprintable() and all(unicodedata.category(c)[0] == "C" for c in text)
        ):
            if not blank:
                block += 1
            blank = True
            continue
        if (
            not blank
            and text[0].islower()
            and len(pieces[-1][1]) >= 40
            and not _ends_sentence(pieces[-1][1])
        ):
            pieces[-1] = (block, f"{pieces[-1][1]} {text}")
        else:
            pieces.append((block, text))
        blank = False
    return pieces


def _measure(raw: str) -> list[_Line]:
    """Split a dump into non-blank lines and describe each of them."""
    lines: list[_Line] = []
    for block, text in _split_blocks(raw):
        units = _units(text, spaced=True)
        line = _Line(index=len(lines), text=text, block=block, units=units)
        # a clause ending in a colon introduces a list or a quote inside the body
        line.sentence = _ends_sentence(text) or (units >= 5 and text.endswith(":"))
        line.key = text.casefold().strip(_EDGE_PUNCTUATION)
        line.boiler = _is_boilerplate(text, units)
        line.section_end = units <= 8 and bool(_SECTION_END.match(text.rstrip(" .:»›>")))
        line.dateline = _is_dateline(text, units)
        line.listing = _is_listing(text, units, line.sentence)
        line.comments = units <= 12 and bool(_COMMENTS.match(text.rstrip(" .:»›>")))
        line.commenter = units <= 8 and bool(_COMMENTER.match(text))
        lines.append(line)
    _mark_lists(lines)
    _mark_galleries(lines)
    return lines


def _mark_lists(lines: list[_Line]) -> None:
    """Flag lines of list-like blocks: three or more lines without blank lines between
    them, at most a third of which end like sentences (menus, teaser columns). Body
    paragraphs are separated by blank lines, or end in full stops when they are not."""
    by_block: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        by_block[line.block].append(line)
    for members in by_block.values():
        if len(members) >= 3 and 3 * sum(line.sentence for line in members) <= len(members):
            for line in members:
                line.in_list = not line.sentence


def _repeats_a_phrase(text: str, units: int) -> bool:
    """A line in which one run of :data:`GALLERY_PHRASE` words comes back at least
    :data:`GALLERY_REPEATS` times: the slides of a gallery or carousel run together into
    one line, each with the gallery's title ("Photos: In pictures: ... 1 of 72 Photos: In
    pictures: ..."). Prose that repeats itself for effect does so two or three times."""
    if units < GALLERY_PHRASE * GALLERY_REPEATS:
        return False
    words = _WORD.findall(text.casefold())
    n = GALLERY_PHRASE
    runs = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return bool(runs) and max(runs.values()) >= GALLERY_REPEATS


#: A wire photo's caption ("FILE PHOTO: ...", "FILE - In this May 3, 2018, file photo, ..."),
#: furniture up to 80 words (other captions are caught at 35, see _STRONG_BOILERPLATE).
_FILE_CAPTION = re.compile(r"^file(?:\ photo\b|\s?[-–—]\s)|^in\ this\ .{0,60}\bfile\ photo\b")


def _under_buttons(text: str) -> bool:
    """A caption run into the share buttons above it ("Facebook Twitter Pinterest A man
    walks past ..."): a line opening with three button labels and going on."""
    words = text.casefold().split(maxsplit=3)
    return len(words) == 4 and all(word.strip(".,:;|") in _BUTTONS for word in words[:3])


def _label(line: _Line) -> str | None:
    """The first two words of a line when they read as a label before a new sentence
    ("Hide caption North Korean leader ..."): the second in lower case, the third
    capitalised."""
    words = line.text.split(maxsplit=3)
    if len(words) < 4 or not words[1][:1].islower() or not words[2][:1].isupper():
        return None
    return f"{words[0]} {words[1]}"


def _mark_galleries(lines: list[_Line]) -> None:
    """Flag gallery and caption furniture by shape, whatever its words: a line repeating
    a phrase many times (:func:`_repeats_a_phrase`), and runs of three or more
    consecutive lines that open with the same label (:func:`_label`), as the captions of a
    slideshow do."""
    for line in lines:
        if _repeats_a_phrase(line.text, line.units):
            line.boiler = True
            line.flags.append("gallery")
        elif _under_buttons(line.text) or (
            line.units <= 80 and _FILE_CAPTION.match(line.text.casefold())
        ):
            line.boiler = True
            line.flags.append("caption")
    i = 0
    while i < len(lines):
        label = _label(lines[i])
        j = i
        while label and j + 1 < len(lines) and _label(lines[j + 1]) == label:
            j += 1
        if label and j - i + 1 >= 3:
            for line in lines[i : j + 1]:
                line.boiler = True
                line.flags.append("caption")
        i = j + 1
