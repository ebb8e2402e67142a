"""Junk rules as data: every rule is named, says which junk kind it targets, and is compiled once.

Three families:
- ``ATTRIBUTE_RULES`` spot widget containers in the DOM by the tokens of their class, id,
  role, aria-label and data-* attributes (``related-stories`` → ``related``).
- ``PHRASE_RULES`` spot junk lines by wording: short multilingual phrase lists matched against
  a whole line (``exact``) or its start (``prefix``), never against a substring of prose.

- ``KEYWORD_RULES`` spot short junk fragments by vocabulary: a word of each group, in any
  wording (a video notice names a video and a browser or player).

Structural rules (link density, position, headline shape) live in ``domclean`` and ``blocks``;
their names are listed in ``STRUCTURAL_RULES`` so stats and explain output use one vocabulary.
Phrases are lower-case; matching folds case, whitespace and edge punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from .text import fold


class JunkKind(str, Enum):
    SECTION_LABEL = "section_label"
    RELATED_HEADLINE = "related_headline"
    MORE_ON_HEADER = "more_on_header"
    VIDEO = "video"
    RECOMMENDATION_WIDGET = "recommendation_widget"
    SHARE_PROMPT = "share_prompt"
    IMAGE_CREDIT = "image_credit"
    READ_MORE = "read_more"
    COOKIE_NOTICE = "cookie_notice"
    PAYWALL_NOTICE = "paywall_notice"
    ADVERTISEMENT = "advertisement"
    REPEATED_TITLE = "repeated_title"
    STANDFIRST = "standfirst"
    PAGE_FURNITURE = "page_furniture"
    """Copyright lines, print/reprint/comment buttons, author contact lines, shortcodes."""



def alternation(words: Iterable[str]) -> str:
    """A regex alternation of these literal words, longest first (so that "more on" wins over
    "more"). An empty group is an error: ``(?:)`` would match every line."""
    ordered = sorted(set(words), key=len, reverse=True)
    if not ordered:
        raise ValueError("an alternation needs at least one word")
    return "|".join(re.escape(word) for word in ordered)

@dataclass(frozen=True)
class AttributeRule:
    """A container is junk when a class/id/role/data-* value holds one of ``tokens`` as a word.

    Words are separated by spaces, ``-``, ``_`` and camelCase: ``related-stories__list`` and
    ``articleShare`` hold ``related`` and ``share``; ``shadow`` does not hold ``ad``. A token
    with a dash (``video-player``) must appear as written.
    """

    name: str
    kind: JunkKind
    tokens: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(rf"(?<![a-z0-9])(?:{self.alternatives})(?![a-z0-9])"))

    @property
    def alternatives(self) -> str:
        return alternation(self.tokens)

    def matches(self, value: str) -> bool:
        return bool(self._pattern.search(_split_camel(value)))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PhraseRule:
    """A line is junk when it equals (``exact``) or starts with (``prefix``) one of ``phrases``.

    ``heading`` rules name a widget: the lines listed under such a heading go with it.
    """

    name: str
    kind: JunkKind
    mode: str
    phrases: tuple[str, ...]
    max_words: int
    heading: bool = False

    def __post_init__(self) -> None:
        alternatives = alternation(self.phrases)
        tail = r"$" if self.mode == "exact" else r"(?:$|[\s:：,.!?…»”\"'()\-–—|/>›]+)"
        object.__setattr__(self, "_pattern", re.compile(rf"^(?:{alternatives}){tail}"))

    def matches(self, folded_line: str) -> bool:
        return bool(self._pattern.match(folded_line))  # type: ignore[attr-defined]


ATTRIBUTE_RULES: tuple[AttributeRule, ...] = (
    AttributeRule("attr-recommendation", JunkKind.RECOMMENDATION_WIDGET, frozenset({
        "related", "relatedarticles", "relatedstories", "relatedcontent", "recommended",
        "recommendations", "recommendation", "recirculation", "recirc", "youmaylike", "outbrain",
        "taboola", "mostread", "most-read", "mostpopular", "most-popular", "trending", "morestories",
        "more-stories", "also-read", "read-also", "further-reading", "you-may-like", "read-next",
        "alsoread", "readalso", "furtherreading", "zergnet", "revcontent", "mgid", "teaser-list",
    })),
    AttributeRule("attr-share", JunkKind.SHARE_PROMPT, frozenset({
        "share", "shares", "sharing", "sharebar", "sharetools", "socialshare", "social-share",
        "addthis", "sharethis", "follow-us", "followus",
    })),
    AttributeRule("attr-newsletter", JunkKind.SHARE_PROMPT, frozenset({
        "newsletter", "newsletters", "subscribe", "subscription", "signup", "sign-up", "optin", "opt-in",
        "nlsignup",
    })),
    AttributeRule("attr-video", JunkKind.VIDEO, frozenset({
        "video-player", "videoplayer", "jwplayer", "brightcove", "vjs", "video-js", "videojs",
        "media-player", "videowrapper", "video-wrapper", "video-embed", "videoembed",
    })),
    AttributeRule("attr-ad", JunkKind.ADVERTISEMENT, frozenset({
        "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit",
        "ad-slot", "dfp", "sponsor", "sponsored", "promo", "promotion", "commercial",
    })),
    AttributeRule("attr-cookie", JunkKind.COOKIE_NOTICE, frozenset({
        "cookie", "cookies", "cookiebanner", "consent", "gdpr",
    })),  # not "cmp" (consent management platform): it is also a component library's prefix on every box
    AttributeRule("attr-paywall", JunkKind.PAYWALL_NOTICE, frozenset({
        "paywall", "regwall", "meter", "piano", "premium-banner",
    })),
    AttributeRule("attr-cta", JunkKind.ADVERTISEMENT, frozenset({
        "cta", "ctas", "call-to-action", "calltoaction", "disclosure", "disclosures",
    })),
    AttributeRule("attr-page-furniture", JunkKind.PAGE_FURNITURE, frozenset({
        "prevnext", "prev-next", "post-navigation", "post-nav", "pagination", "pager", "copyright",
    })),
    AttributeRule("attr-label", JunkKind.SECTION_LABEL, frozenset({
        "breadcrumb", "breadcrumbs", "kicker", "eyebrow", "overline",
    })),
)

PHRASE_RULES: tuple[PhraseRule, ...] = (
    PhraseRule("phrase-you-may-like", JunkKind.RECOMMENDATION_WIDGET, "exact", (
        "you may like", "you might like", "you may also like", "you might also like",
        "products you may like", "articles you may like", "stories you may like",
        "recommended", "recommended for you", "recommended stories", "recommended articles",
        "related", "related articles", "related stories", "related posts", "related news",
        "related content", "related coverage", "related topics", "more stories", "more news",
        "top stories", "most read", "most popular", "most viewed", "trending", "trending now",
        "popular now", "don't miss", "editor's picks", "editors' picks", "latest news",
        "more from this section", "you may be interested in", "we recommend", "around the web",
        "sponsored stories", "promoted stories", "from our partners", "also read", "read next",
        "up next", "what to read next", "das könnte sie auch interessieren", "das könnte sie interessieren",
        "empfohlene artikel", "meistgelesen", "meistgelesene artikel", "weitere artikel", "mehr zum thema",
        "ähnliche artikel", "vous aimerez aussi", "vous aimerez aussi :", "à lire aussi", "a lire aussi",
        "les plus lus", "articles similaires", "sur le même sujet", "dans la même rubrique",
        "te puede interesar", "también te puede interesar", "te recomendamos", "lo más leído",
        "noticias relacionadas", "artículos relacionados", "más noticias", "potrebbe interessarti",
        "articoli correlati", "i più letti", "você também pode gostar", "leia também", "mais lidas",
        "вам может понравиться", "рекомендуем", "популярное", "читайте также", "похожие статьи",
        "по теме", "самое читаемое", "другие новости", "おすすめ", "おすすめ記事", "関連記事",
        "人気記事", "あわせて読みたい", "こちらもおすすめ", "相关文章", "相关新闻", "推荐阅读", "热门文章",
        "lees ook", "meest gelezen", "gerelateerde artikelen", "czytaj także", "czytaj też", "zobacz także",
        "zobacz też", "najczęściej czytane", "podobne artykuły", "läs också", "läs även", "mest läst",
        "relaterade artiklar", "ilgili haberler", "en çok okunanlar", "관련기사", "관련 기사", "많이 본 뉴스",
        "dit vind je misschien ook interessant", "misschien ook interessant", "aanbevolen voor jou",
        "aanbevolen voor u", "może cię zainteresować", "może cię też zainteresować",
        "może cię także zainteresować", "może cię również zainteresować",
    ), max_words=8, heading=True),
    PhraseRule("phrase-more-on", JunkKind.MORE_ON_HEADER, "prefix", (
        "más noticias de", "mais notícias de", "altre notizie di", "更多",
        "more on", "more from", "more about", "mehr zu", "mehr zum thema", "mehr über", "mehr aus",
        "plus sur", "plus d'articles", "en savoir plus sur", "más sobre", "más de", "altro su",
        "mais sobre", "ещё по теме", "еще по теме", "больше о", "もっと読む", "関連ニュース",
    ), max_words=6, heading=True),
    PhraseRule("phrase-video-notice", JunkKind.VIDEO, "prefix", (
        "please use chrome browser for a more accessible video player",
        "please use a different browser", "your browser does not support", "your browser doesn't support",
        "video unavailable", "this video is unavailable", "this video can not be played",
        "this video cannot be played", "to view this video please enable javascript",
        "watch the video", "watch:", "video:", "media playback is unsupported",
        "ihr browser unterstützt", "dieses video", "video nicht verfügbar", "votre navigateur ne",
        "vidéo indisponible", "tu navegador no", "su navegador no", "vídeo no disponible",
        "ваш браузер не поддерживает", "видео недоступно", "この動画", "お使いのブラウザ",
        "je browser ondersteunt", "uw browser ondersteunt", "video niet beschikbaar",
        "twoja przeglądarka nie obsługuje", "wideo niedostępne", "wideo jest niedostępne",
        "nie udało się załadować wideo", "nie można odtworzyć wideo",
    ), max_words=16),
    PhraseRule("phrase-share", JunkKind.SHARE_PROMPT, "prefix", (
        "share this", "share on", "share article", "share the story", "share via", "share:",
        "recevez", "erhalten sie", "recibe", "ricevi", "receba", "получайте", "get the best",
        "click to share", "tweet this", "follow us", "sign up for our", "sign up to our", "subscribe to our",
        "subscribe now", "subscribe for", "get our newsletter", "get the latest", "newsletter",
        "join our newsletter", "enter your email", "artikel teilen", "teilen sie", "jetzt teilen",
        "newsletter abonnieren", "melden sie sich", "folgen sie uns", "partager", "partagez",
        "abonnez-vous", "inscrivez-vous", "suivez-nous", "compartir", "compartir en", "suscríbete",
        "suscribete", "síguenos", "condividi", "iscriviti", "compartilhe", "поделиться",
        "подпишитесь", "подписывайтесь", "シェア", "この記事をシェア", "ニュースレター", "分享",
        "deel dit", "udostępnij", "dela artikeln", "paylaş", "공유하기", "volg ons", "obserwuj nas",
    ), max_words=14),
    PhraseRule("phrase-image-credit", JunkKind.IMAGE_CREDIT, "prefix", (
        "photo:", "photo by", "photos:", "photograph:", "image:", "image credit", "image source",
        "credit:", "picture:", "pictured:", "illustration:", "foto:", "bild:", "fotos:",
        "crédit photo", "crédits photo", "photo :", "crédit :", "imagen:", "fotografía:",
        "фото:", "фото :", "иллюстрация:", "写真:", "写真：", "画像:", "图片:", "写真提供", "imagem:",
        "foto di", "fotografia:", "图：", "图:", "摄影", "图片来源", "photograph:", "source photo",
        "beeld:", "fot.", "zdjęcie:",
    ), max_words=14),
    PhraseRule("phrase-read-more", JunkKind.READ_MORE, "prefix", (
        "read more", "read the full", "read our full", "continue reading", "keep reading", "read also", "see also",
        "also read", "also on", "related:", "weiterlesen", "lesen sie auch", "lesen sie mehr", "mehr lesen",
        "lire la suite", "lire aussi", "à lire aussi", "voir aussi", "leer más", "seguir leyendo",
        "lee también", "leggi anche", "continua a leggere", "leia mais", "читать далее",
        "читайте также", "читать полностью", "続きを読む", "もっと見る", "阅读全文", "阅读更多",
        "lesetipp", "lesen sie hier", "читайте по теме", "こちらも読まれています", "あわせて読みたい", "関連記事",
        "vedi anche", "saiba mais", "leia também", "leia mais", "推荐阅读", "相关阅读", "延伸阅读",
        "ver también", "véase también", "lees ook", "lees meer", "lees verder", "czytaj także", "czytaj też",
        "czytaj więcej", "zobacz także", "zobacz też", "läs också", "läs även", "läs mer", "devamını oku",
        "관련기사", "관련 기사",
    ), max_words=18),
    PhraseRule("phrase-cookie", JunkKind.COOKIE_NOTICE, "prefix", (
        "we use cookies", "this site uses cookies", "this website uses cookies", "by using this site",
        "by continuing to use", "accept cookies", "accept all cookies", "cookie settings",
        "wir verwenden cookies", "diese website verwendet cookies", "nous utilisons des cookies",
        "ce site utilise des cookies", "utilizamos cookies", "este sitio utiliza cookies",
        "usiamo i cookie", "мы используем cookie", "мы используем файлы cookie",
        "当サイトはcookie", "このサイトはクッキー",
        "wij gebruiken cookies", "we gebruiken cookies", "deze website maakt gebruik van cookies",
        "deze site maakt gebruik van cookies", "deze website gebruikt cookies",
        "używamy plików cookie", "używamy plików cookies", "używamy ciasteczek",
        "ta strona korzysta z plików cookie", "ta strona używa plików cookie",
        "ten serwis wykorzystuje pliki cookie",
    ), max_words=40),
    PhraseRule("phrase-paywall", JunkKind.PAYWALL_NOTICE, "prefix", (
        "this article is for subscribers", "this content is for subscribers", "subscribers only",
        "exclusive content", "premium content", "contenu réservé", "contenido exclusivo", "contenuto riservato",
        "conteúdo exclusivo", "exklusiv für abonnenten", "материал для подписчиков", "会员专享",
        "already a subscriber", "subscribe to continue", "subscribe to read", "log in to continue",
        "to continue reading", "create a free account", "you have reached your", "you've reached your",
        "dieser artikel ist nur für abonnenten", "nur für abonnenten", "sie sind bereits abonnent",
        "jetzt abonnieren", "réservé aux abonnés", "cet article est réservé", "déjà abonné",
        "solo para suscriptores", "este contenido es exclusivo", "¿ya eres suscriptor",
        "riservato agli abbonati", "только для подписчиков", "уже подписаны", "有料会員",
        "この記事は会員限定", "続きは会員登録",
        "dit artikel is alleen voor abonnees", "dit artikel is exclusief voor abonnees", "alleen voor abonnees",
        "exclusief voor abonnees", "al abonnee", "ten artykuł jest dostępny tylko dla", "artykuł dostępny tylko dla",
        "tylko dla subskrybentów", "tylko dla prenumeratorów", "masz już subskrypcję",
    ), max_words=25),
)

@dataclass(frozen=True)
class KeywordRule:
    """A short line is junk when it holds a word of every group (any wording, any order).

    Phrase lists cannot know every wording of a video notice or a newsletter prompt; the
    vocabulary they share can. Lines ending like a sentence (a full stop) are prose and never
    match: notices and prompts are fragments, imperatives or questions.
    Latin-script stems match at a word start, CJK stems anywhere.
    """

    name: str
    kind: JunkKind
    groups: tuple[tuple[str, ...], ...]
    max_words: int
    heading: bool = False
    notice: bool = False
    """A site notice (cookies, paywall, video player): matched even as a full sentence or a heading."""
    anchored: bool = False
    """The first group's word must open the line ("Follow us on ...", not "... began to follow")."""
    edge: bool = False
    """Junk only outside the story's prose, before its first paragraph or after its last: a
    disclaimer stands apart; the same words between paragraphs are the story's."""

    def __post_init__(self) -> None:
        patterns = [_group_pattern(group) for group in self.groups]
        if self.anchored:
            patterns[0] = "^(?:" + patterns[0] + ")"
        object.__setattr__(self, "_patterns", tuple(re.compile(p) for p in patterns))

    def matches(self, folded_line: str) -> bool:
        return all(p.search(folded_line) for p in self._patterns)  # type: ignore[attr-defined]


_LETTERS = "a-zß-öø-ÿāăąćčďēęěğīıłńňōőœřśşšţťūůűźżžа-яё"


def _group_pattern(words: tuple[str, ...]) -> str:
    """``share`` is a whole word, ``subscri*`` a word start; CJK words match anywhere.
    (One lookaround per kind of word, not per word: the regex engine is much faster so.)"""
    whole = [w for w in words if not w.endswith("*") and re.match(f"[{_LETTERS}]", w)]
    starts = [w.rstrip("*") for w in words if w.endswith("*") and re.match(f"[{_LETTERS}]", w)]
    anywhere = [w.rstrip("*") for w in words if not re.match(f"[{_LETTERS}]", w)]

    parts = []
    if whole:
        parts.append(rf"(?<![{_LETTERS}])(?:{alternation(whole)})(?![{_LETTERS}])")
    if starts:
        parts.append(rf"(?<![{_LETTERS}])(?:{alternation(starts)})")
    if anywhere:
        parts.append(f"(?:{alternation(anywhere)})")
    return "|".join(parts)


KEYWORD_RULES: tuple[KeywordRule, ...] = (
    KeywordRule("keyword-recommendation-heading", JunkKind.RECOMMENDATION_WIDGET, (
        ("recommend*", "empfehl*", "empfohl*", "recomend*", "raccomand*", "consigliat*", "рекоменд*", "推荐",
         "おすすめ", "オススメ", "may like", "might like", "also like", "aimerez", "intéresser", "interessieren",
         "interesar", "gustar", "piacere", "interessar", "gostar", "понрав*", "喜欢", "related", "relacionad*",
         "correlat*", "similaires", "ähnliche", "похожие", "相关", "関連", "most read", "meistgelesen*",
         "más leído*", "más visto*", "più lett*", "più vist*", "mais lid*", "mais vist*", "les plus lus",
         "les plus vus", "meistgesehen*", "most viewed", "самое читаемое", "人気", "热门", "don't miss", "ne pas manquer",
         "nicht verpassen", "no te pierdas", "da non perdere", "não perca", "more stories", "more news",
         "más noticias", "plus d'actualités", "weitere nachrichten", "altre notizie", "mais notícias",
         "другие новости", "更多"),
    ), max_words=6, heading=True),
    KeywordRule("keyword-video-notice", JunkKind.VIDEO, (
        ("video*", "vídeo*", "vidéo*", "видео*", "動画", "映像", "视频", "trailer*"),
        ("browser*", "navegador*", "navigateur*", "браузер*", "ブラウザ", "浏览器", "javascript", "chrome", "firefox",
         "play", "plays", "playing", "playback", "player", "reproduc*", "riprodu*", "lecteur", "lue", "lire",
         "abspiel*", "abgespielt", "воспроизв*", "再生", "播放", "watch", "unavailable", "disponible",
         "indisponible", "disponibile", "disponível", "verfügbar", "недоступ*"),
    ), max_words=20, notice=True),
    KeywordRule("keyword-browser-notice", JunkKind.VIDEO, (
        ("browser*", "navegador*", "navigateur*", "браузер*", "ブラウザ", "浏览器", "chrome", "firefox", "javascript"),
        ("please", "use", "update", "upgrade", "enable", "utilice", "usa", "actualice", "active", "utilisez",
         "activez", "mettez", "nutzen", "verwenden", "aktivieren", "aktualisieren", "используйте", "обновите",
         "включите", "ご利用", "有効", "更新", "请使用"),
    ), max_words=20),
    KeywordRule("keyword-share-prompt", JunkKind.SHARE_PROMPT, (
        ("share", "comparte", "compartir", "compártelo", "partager", "partagez", "teilen", "teile", "condividi",
         "compartilh*", "поделит*", "シェア", "分享", "この記事を送る", "subscribe", "subscription", "newsletter*",
         "sign up", "signup", "inbox", "your email", "suscr*", "boletín", "en tu correo", "abonnez", "abonnier*",
         "inscrivez", "anmelden", "подпиш*", "рассылк*", "ニュースレター", "メールで", "订阅", "follow us",
         "síguenos", "suivez-nous", "folgen sie", "siga", "seguici", "segui", "フォロー", "关注", "instagram",
         "facebook", "telegram", "whatsapp", "youtube", "tiktok", "spread the word", "stay connected"),
    ), max_words=12),
    KeywordRule("keyword-social-follow", JunkKind.SHARE_PROMPT, (
        ("follow*", "síguenos", "sigue", "suivez", "folgen", "folge", "segui*", "siga", "подписывайтесь",
         "like us", "find us", "join us"),
        ("twitter", "facebook", "instagram", "youtube", "tiktok", "telegram", "linkedin", "whatsapp", "threads",
         "mastodon", "bluesky", "вконтакте"),
    ), max_words=25, notice=True, anchored=True),
    KeywordRule("keyword-subscription-pitch", JunkKind.SHARE_PROMPT, (
        ("sign up", "subscribe", "subscribing", "join", "click here", "become a member", "get access",
         "abonnieren", "abonnez", "suscríbete", "iscriviti", "assine", "подпишитесь"),
        ("newsletter*", "membership", "subscription*", "members get", "for as little as", "delivered", "issues for",
         "abo", "abonnement", "suscripción", "abbonamento", "assinatura", "подписк*"),
    ), max_words=50, notice=True),
    KeywordRule("keyword-affiliate-disclaimer", JunkKind.ADVERTISEMENT, (
        ("if you buy", "if you purchase", "if you click", "we may earn", "may earn a", "may get a share",
         "affiliate link*", "affiliate commission*", "earn a commission", "receive a commission",
         "earn us a commission", "earn a small commission", "qualifying purchases", "as an affiliate",
         "affiliate partner*", "may be compensated", "we may receive compensation"),
    ), max_words=45, notice=True, edge=True),
    KeywordRule("keyword-newsletter-pitch", JunkKind.SHARE_PROMPT, (
        ("inbox", "postfach", "boîte mail", "boîte de réception", "на вашей почте", "на почту", "correo",
         "casella", "e-mail", "email", "メール", "邮箱", "mailbox", "skrzynk*"),
        ("every", "each", "daily", "morning", "jeden", "täglich", "chaque", "cada", "ogni", "todos", "todas",
         "каждое", "каждый", "毎朝", "毎日", "每天", "get", "receive", "recevez", "erhalten", "recibe", "ricevi",
         "receba", "получайте", "受け取", "sign up", "subscribe", "elke", "iedere", "dagelijks", "ontvang",
         "każdego", "codziennie", "otrzymuj*", "zapisz"),
    ), max_words=16, notice=True),
    KeywordRule("keyword-cookie-notice", JunkKind.COOKIE_NOTICE, (
        ("cookie*", "куки", "クッキー"),
        ("this site", "this website", "our site", "our website", "our partners", "we use", "continuing",
         "continue", "browsing", "navegando", "navegar", "sitio web", "site web", "ce site", "diese website",
         "unsere website", "сайт*", "サイト", "网站", "本站", "nuestro sitio", "questo sito", "nosso site",
         "accept*", "consent*", "agree", "同意", "acepta*", "accetti", "concorda"),
    ), max_words=40, notice=True),
    KeywordRule("keyword-paywall-notice", JunkKind.PAYWALL_NOTICE, (
        ("subscriber*", "abonné*", "abonnent*", "подписчик*", "会員", "会员", "abbonat*", "assinante*",
         "suscriptor*", "有料", "付费"),
        ("only", "exclusive*", "exclusiv*", "reserved", "réservé*", "riservat*", "reservad*", "nur", "только",
         "для", "限定", "专享", "専用", "continu*", "weiterlesen", "keep reading", "log in", "connectez*",
         "войдите", "accedi", "entre"),
    ), max_words=20, notice=True),
)

PAGE_FURNITURE_RULES: tuple[PhraseRule, ...] = (
    PhraseRule("phrase-page-buttons", JunkKind.PAGE_FURNITURE, "exact", (
        "print", "print article", "print this article", "print this page", "order reprints", "reprints",
        "email", "email this article", "comments", "comment", "leave a comment", "tell us what you think",
        "thank you", "this article has been sent to", "an error has occurred, please try again later",
        "drucken", "artikel drucken", "kommentare", "imprimer", "commentaires", "imprimir", "comentarios",
        "stampa", "commenti", "печать", "комментарии", "印刷", "コメント", "打印", "评论",
    ), max_words=8),
    PhraseRule("phrase-copyright", JunkKind.PAGE_FURNITURE, "prefix", (
        "copyright", "©", "(c) 1", "(c) 2", "all rights reserved", "this copy is for your personal",
        "alle rechte vorbehalten", "tous droits réservés", "todos los derechos reservados",
        "tutti i diritti riservati", "todos os direitos reservados", "все права защищены",
    ), max_words=40),
    PhraseRule("phrase-contact-author", JunkKind.PAGE_FURNITURE, "prefix", (
        "write to", "contact the author", "email the author", "follow the author", "have a tip",
        "reporting by", "additional reporting by", "editing by", "writing by", "compiled by",
    ), max_words=40),
    PhraseRule("phrase-tags", JunkKind.PAGE_FURNITURE, "prefix", (
        "tags", "tagged", "topics", "schlagworte", "schlagwörter", "étiquettes", "mots-clés", "etiquetas",
        "temas", "argomenti", "теги", "метки", "タグ", "标签",
    ), max_words=30),
    PhraseRule("phrase-ad-prefix", JunkKind.ADVERTISEMENT, "prefix", (
        "advertisement:", "sponsored:", "anzeige:", "werbung:", "publicité :", "publicité:", "publicidad:",
        "pubblicità:", "реклама:",
    ), max_words=16),
    PhraseRule("phrase-ad-label", JunkKind.ADVERTISEMENT, "exact", (
        "advertisement", "advertising", "sponsored", "sponsored content", "paid content", "paid post",
        "story continues below advertisement", "article continues below advertisement",
        "continue reading below", "anzeige", "werbung", "publicité", "publicidad", "pubblicità",
        "publicidade", "реклама", "広告", "广告",
        "advertentie", "reklama", "reklam", "annons", "광고",
    ), max_words=6),
    # Buttons of a sales page, alone on their line; not "Get started" or "Contact us", which are
    # also the subheadings of how-to articles and press releases.
    PhraseRule("phrase-call-to-action", JunkKind.ADVERTISEMENT, "exact", (
        "book a demo", "request a demo", "schedule a demo", "get a demo", "get started today",
        "get started now", "start your free trial", "start free trial", "try it free", "try it for free",
        "get a quote", "get a free quote", "request a quote",
        "download now", "shop now", "buy now", "order now", "register", "register now", "apply now",
        "call now", "sign up now", "jetzt kaufen", "jetzt bestellen", "acheter maintenant", "comprar ahora",
        "acquista ora", "compre agora", "купить сейчас",
    ), max_words=5),
    PhraseRule("phrase-byline-credit", JunkKind.PAGE_FURNITURE, "prefix", (
        "written by", "posted by", "reviewed by", "medically reviewed by", "fact checked by",
        "fact-checked by", "geschrieben von", "écrit par", "escrito por", "scritto da", "автор:",
    ), max_words=6),
    PhraseRule("phrase-post-navigation", JunkKind.PAGE_FURNITURE, "prefix", (
        "next article", "previous article", "next post", "previous post", "older post", "newer post",
        "nächster artikel", "vorheriger artikel", "article suivant", "article précédent",
        "artículo siguiente", "artículo anterior", "articolo successivo", "articolo precedente",
        "следующая статья", "предыдущая статья", "次の記事", "前の記事", "上一篇", "下一篇",
    ), max_words=16),
    # The heading of a table of contents, whose in-page links the DOM rules took.
    PhraseRule("phrase-table-of-contents", JunkKind.PAGE_FURNITURE, "exact", (
        "table of contents", "contents", "in this article", "on this page", "jump to", "jump to section",
        "inhaltsverzeichnis", "sommaire", "table des matières", "índice", "índice de contenidos",
        "tabla de contenidos", "indice", "sommario", "содержание", "оглавление", "目次", "目录",
    ), max_words=5),
    PhraseRule("phrase-feedback-prompt", JunkKind.SHARE_PROMPT, "prefix", (
        "was this article helpful", "was this helpful", "was this page helpful", "did you find this article helpful",
        "did you find this helpful", "rate this article", "how would you rate this", "pin it", "pin for later",
        "pin this", "war dieser artikel hilfreich", "cet article vous a-t-il été utile",
        "¿te ha resultado útil", "questo articolo ti è stato utile", "эта статья была полезной",
    ), max_words=10),
)
"""Not junk of the mission's kinds, but never article text either."""

_ATTRIBUTE_RE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(f"(?P<r{i}>{rule.alternatives})" for i, rule in enumerate(ATTRIBUTE_RULES))
    + r")(?![a-z0-9])")


def attribute_rule_for(value: str) -> AttributeRule | None:
    """The attribute rule naming this class/id value, by its first junk word; one regex pass."""
    match = _ATTRIBUTE_RE.search(_split_camel(value))
    return ATTRIBUTE_RULES[int(match.lastgroup[1:])] if match and match.lastgroup else None


STRUCTURAL_RULES: dict[str, JunkKind] = {
    "label-first-line": JunkKind.SECTION_LABEL,
    "linked-headline": JunkKind.RELATED_HEADLINE,
    "unlinked-headline": JunkKind.RELATED_HEADLINE,
    "image-caption": JunkKind.IMAGE_CREDIT,
    "widget-headlines": JunkKind.RECOMMENDATION_WIDGET,
    "video-title": JunkKind.VIDEO,
    "link-list": JunkKind.RECOMMENDATION_WIDGET,
    "video-element": JunkKind.VIDEO,
    "recurring-block": JunkKind.RECOMMENDATION_WIDGET,
    "repeated-title": JunkKind.REPEATED_TITLE,
    "shortcode": JunkKind.PAGE_FURNITURE,
    "byline": JunkKind.PAGE_FURNITURE,
    "dateline": JunkKind.PAGE_FURNITURE,
    "standfirst": JunkKind.STANDFIRST,
    "pagination": JunkKind.PAGE_FURNITURE,
    "only-links": JunkKind.PAGE_FURNITURE,
}
"""Rules whose test is structure, not a word list; implemented in domclean and blocks."""

RULE_KINDS: dict[str, JunkKind] = {
    **{rule.name: rule.kind for rule in ATTRIBUTE_RULES},
    **{rule.name: rule.kind for rule in PHRASE_RULES},
    **{rule.name: rule.kind for rule in PAGE_FURNITURE_RULES},
    **{rule.name: rule.kind for rule in KEYWORD_RULES},
    **STRUCTURAL_RULES,
}

AUTHOR_PREFIXES = ("by", "von", "par", "por", "di", "door", "av", "автор", "著者")
"""What a byline puts before the author's name ("By Jane Doe", "Von Max Muster")."""
AUTHOR_DEGREES = ("Ph.D.", "PhD", "MSc", "BSc", "MBA", "MPH", "EdD", "PharmD", "DrPH", "M.D.", "D.O.", "M.S.", "B.A.")
"""Degrees a byline writes after a name in mixed case (upper-case post-nominals need no list)."""
AUTHOR_ROLES = (
    "Expert", "Director", "Editor", "Writer", "Reporter", "Correspondent", "Columnist", "Contributor", "Founder",
    "Co-Founder", "CEO", "CTO", "CFO", "COO", "President", "Manager", "Coordinator", "Specialist", "Analyst",
    "Consultant", "Attorney", "Lawyer", "Educator", "Professor", "Engineer", "Officer", "Strategist", "Dietitian",
    "Nutritionist", "Physician", "Therapist", "Representative", "Journalist", "Reviewer",
)
"""Job titles a byline puts after a name ("Jane Doe, Senior Analyst"): a description, never another author."""
NEWS_AGENCIES = frozenset({"AP", "AFP", "UPI", "DPA", "EFE", "ANSA", "PA", "ANP", "PAP", "APA", "SDA", "NTB", "TT", "KNA",
                           "EPD", "CTK", "MTI", "IANS", "PTI", "AAP", "CP", "RIA", "TASS"})
"""Wire agencies written in capitals after a byline's name: a further author, not a post-nominal."""
PROFILE_PATH_SEGMENTS = ("author", "authors", "contributor", "contributors", "writer", "writers", "producers",
                         "profile", "profiles", "members", "member", "user", "users", "u")
"""URL path segments before a profile's name ("/authors/jane-doe", "/members/jdoe.123"): a link there names a person."""
WRITTEN_BYLINE_LABELS = (*AUTHOR_PREFIXES, "written by", "article by", "words by", "story by", "author", "authored by",
                         "geschrieben von", "écrit par", "escrito por", "scritto da")
"""What a byline written out in the text starts with, before the name or alone before the element with it."""
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
)
"""Month names a byline's date starts with, where a page prints it straight after the name."""
SPONSOR_LABELS = ("sponsored by", "presented by", "paid for by", "brought to you by", "in partnership with",
                  "promoted by", "gesponsert von", "sponsorisé par", "patrocinado por")
"""Labels that make the name after them a sponsor, not an author: the credit keeps them."""
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Weekdays a byline's date starts with ("Jane Doe Monday, March 3")."""
NAME_MONTHS = frozenset({"May", "June", "April", "August"})
"""Months that are also names: after a name without a day, they are the name's end ("Theresa May")."""
BYLINE_PREFIXES = (
    *AUTHOR_PREFIXES, "from", "posted", "published", "updated", "last updated",
    "publicado", "publié", "veröffentlicht", "aktualisiert", "mis à jour", "actualizado", "pubblicato",
    "aggiornato", "atualizado", "опубликовано", "обновлено", "texto", "text", "redacción", "redaktion",
)
_BYLINE_RE = re.compile(
    r"^(?:" + alternation(BYLINE_PREFIXES) + r")\b[\s:]"
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"
    r"|\d{4}年\d{1,2}月\d{1,2}日",
    re.IGNORECASE)


PUBLISHED_LABELS = ("published", "posted", "first published", "veröffentlicht", "publié", "publicado", "pubblicato",
                    "опубликовано", "公開", "发布")
"""What a dateline puts before the date the page was published."""
UPDATED_LABELS = ("updated", "last updated", "aktualisiert", "mis à jour", "actualizado", "atualizado", "aggiornato",
                  "обновлено", "更新")
"""What a dateline puts before the date the page was last changed."""
DATELINE_PREFIXES = (*UPDATED_LABELS, *PUBLISHED_LABELS)
_DATELINE_RE = re.compile(r"^(?:" + alternation(DATELINE_PREFIXES) + r")\b(?=.*\d)", re.IGNORECASE)


PAGINATION_WORDS = (("page", "of"), ("seite", "von"), ("page", "sur"), ("página", "de"), ("pagina", "di"),
                    ("страница", "из"))
"""How a multi-page article numbers its pages ("Page 1 of 8", "Seite 2 von 3")."""
_PAGINATION_RE = re.compile(
    r"^(?:" + "|".join(rf"{re.escape(page)}\s+\d+\s+{re.escape(of)}\s+\d+" for page, of in PAGINATION_WORDS) + r")$",
    re.IGNORECASE)


def is_pagination(line: str) -> bool:
    return bool(_PAGINATION_RE.match(line.strip()))


def is_dateline(line: str) -> bool:
    """"Updated at 1:23 p.m.", "Published 18 November 2019": a time word, then a number."""
    return bool(_DATELINE_RE.match(line.strip()))


def is_byline(line: str) -> bool:
    """A byline or dateline: starts like "By ..." / "Publicado ...", or carries a date or a time."""
    return bool(_BYLINE_RE.search(line))



def phrase_rule_for(line: str, word_count: int, heading: bool = False) -> PhraseRule | KeywordRule | None:
    """The first phrase or keyword rule that names this line as junk, or None.

    Only notice rules judge a subheading: "Chrome to update its privacy rules" is news; nor a
    label and its figure, an entry of the story's data ("Market share: 12.9%")."""
    folded = fold(line)
    if not folded:
        return None
    for rule in (*PHRASE_RULES, *PAGE_FURNITURE_RULES):
        if word_count <= rule.max_words and rule.matches(folded):
            return rule
    fragment = not heading and not _FULL_STOP_END_RE.search(line) and not _LABELLED_FIGURE_RE.match(line)
    for keyword_rule in KEYWORD_RULES:
        if (word_count <= keyword_rule.max_words and (keyword_rule.notice or fragment)
                and keyword_rule.matches(folded)):
            return keyword_rule
    return None


# A full stop at the end (not ! ? or :, which prompts end with: "Subscribe now!"): a statement.
_FULL_STOP_END_RE = re.compile(r"[.。]\s*[»”\"')]?\s*$")
_LABELLED_FIGURE_RE = re.compile(r"^[^:：]{1,40}[:：]\s*\D{0,4}\d")


_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _split_camel(value: str) -> str:
    """``relatedArticles`` → ``related-articles``, lower-cased."""
    return _CAMEL_RE.sub("-", value).lower()
