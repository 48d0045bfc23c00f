"""What news-site chrome looks like once a page has been flattened to text.

Declarative on purpose (see STYLE.md, "knowledge is data"): each list says why it exists.
Patterns describe kinds of lines that recur across Arabic news sites (navigation, prompts,
bylines, mastheads, captions, tag lists, "read also" blocks), never one outlet's wording.
All matching is done on text folded by :func:`rasd.normalize.normalize_for_search`, so the
entries below are written folded too (bare alef, ه for ة, ي for ى).
"""

from __future__ import annotations

import re

# A line is a body paragraph when it is long, or a full sentence of moderate length.
# Why: headlines, captions, kickers and navigation are short and rarely end in a full stop.
PARAGRAPH_MIN_WORDS = 15
SENTENCE_MIN_WORDS = 8
SENTENCE_END = (".", "!", "?", "؟", "۔", "…")
# Closing quotes are looked through: 'قال: "...".' ends a sentence, 'بين "رفاق سلاح"' does not.
CLOSING_QUOTES = "\"”»'’)"
# A title needs a few words; "عاجل" or an editor's name is not a headline.
TITLE_MIN_WORDS = 4
TITLE_MAX_WORDS = 30
# Articles shorter than this after cleaning are not analysable news text.
MIN_ARTICLE_WORDS = 15
# Section markers and prompts are short lines; a long line that starts with the same word is
# a sentence of the article.
SHORT_LINE_WORDS = 12

# Whole lines that are site navigation or widgets (folded). Why: menus and buttons survive
# copy-paste and scraping as lines of their own.
NAVIGATION_LINES = frozenset(
    {
        "عاجل",
        "اتصل بنا",
        "الرئيسيه",
        "من نحن",
        "اعلان",
        "اعلانات",
        "طباعه",
        "مشاركه",
        "شارك",
        "شارك الخبر",
        "تعليقات",
        "اضف تعليق",
        "رابط المصدر",
        "رابط مختصر",
        "نسخ الرابط",
        "x",
        "advertisement",
        "share",
        "print",
        "photo of author",
        "صوره الكاتب",
        "صوره ارشيفيه",
        "ارشيفيه",
        "نشر",
        "منذ",
        "الاكثر قراءه",
        "الاكثر مشاهده",
        "سياسه الخصوصيه",
        "قد يعجبك ايضا",
    }
)

# Masthead roles printed above or beside the headline, each followed by a person's name.
# Why: newspaper sites print the editor-in-chief on every page; the name is not news.
MASTHEAD_ROLES = (
    "رئيس التحرير",
    "رئيس مجلس الاداره",
    "المدير العام",
    "مدير التحرير",
    "رئيس مجلس الاداره ورئيس التحرير",
    "المشرف العام",
    "نائب رئيس التحرير",
)

# Start of a byline ("By X", "بقلم X", "كتب X"). Why: author credits are metadata.
BYLINE_RE = re.compile(
    r"^(?:by|بقلم|كتب|كتبت|كتبه|تحرير|اعداد|اعدته|اعده|متابعه|ترجمه)\s*:?\s+\S",
)
BYLINE_MAX_WORDS = 6

# Calls to follow, subscribe or download. Why: every site appends them to every article.
PROMPT_START_RE = re.compile(
    r"^(?:تابع|تابعوا|تابعونا|اشترك|اشتركوا|انضم|انضموا|حمل|حملوا|لمتابعه|للمزيد|follow|subscribe)\b"
)
PROMPT_WORDS = frozenset(
    {
        "موقع",
        "تطبيق",
        "قناه",
        "قناتنا",
        "صفحه",
        "صفحتنا",
        "عبر",
        "علي",
        "جوجل",
        "نيوز",
        "واتساب",
        "تلغرام",
        "تليجرام",
        "تويتر",
        "فيسبوك",
        "يوتيوب",
        "انستغرام",
        "الاخبار",
        "news",
        "google",
        "whatsapp",
        "telegram",
        "app",
    }
)

# Notices about captchas, cookies, copyright. Why: form and legal boilerplate, any site.
LEGAL_RE = re.compile(
    r"recaptcha|captcha|privacy policy|terms of (?:use|service)|cookies?\b|جميع الحقوق محفوظه|©",
    re.IGNORECASE,
)

# Photo credits closing a caption: "... - AFP", "(رويترز)", "/ أ ف ب". Why: captions describe
# a picture, not the story, and carry dates of their own.
PHOTO_CREDIT_RE = re.compile(
    r"(?:[-–—/|]\s*|\(\s*)(?:afp|ap|reuters|getty(?: images)?|epa|anadolu|رويترز|ا ف ب|ا\.ف\.ب|"
    r"ا\.ب|الاناضول|وكالات|ارشيفيه|صوره ارشيفيه)\s*\)?\s*\.?$",
    re.IGNORECASE,
)
CAPTION_START_RE = re.compile(r"^\(?(?:صوره|الصوره|photo|image)\s*[:(]")
CAPTION_MAX_WORDS = 40

# Lines announcing publication or update time; the date in them is mined, the line dropped.
# Matched on folded text, where a tatweel separator ("نيسان ـ نشر في") has already vanished.
PUBLICATION_LINE_RE = re.compile(
    r"^(?:[^\s]{1,20}\s*[\-–—:|]?\s*)?(?:نشر|تم النشر|تاريخ النشر|نشر بتاريخ|اخر تحديث|تحديث|"
    r"published|updated|last updated)\b",
    re.IGNORECASE,
)
PUBLICATION_LINE_MAX_WORDS = 12

# Lines that open the tail of a page: source credits, tag lists, "read also", related lists,
# share bars, comment forms. Everything from the first of them on is not the article body.
# Why: glued "read also" articles and related lists always sit after such a marker.
END_MARKERS = (
    "المصدر",
    "مصدر الخبر",
    "كلمات دلاليه",
    "الكلمات الدلاليه",
    "الكلمات المفتاحيه",
    "وسوم",
    "الوسوم",
    "اقرا ايضا",
    "اقرا المزيد",
    "اقرا كذلك",
    "مقالات مشابهه",
    "مقالات ذات صله",
    "اخبار ذات صله",
    "اخبار متعلقه",
    "مواضيع ذات صله",
    "موضوعات ذات صله",
    "قد يهمك ايضا",
    "شاهد ايضا",
    "الكلمات الاكثر بحثا",
    "الاكثر قراءه",
    "الاكثر مشاهده",
    "شارك هذا المقال",
    "انتقل الي اختصارات الوصول",
    "اضف تعليق",
    "التعليقات",
    "رابط المصدر",
    "related",
    "read more",
    "read also",
    "tags",
    "you may also like",
    "more from",
)
# Markers whose line carries the list itself ("كلمات دلالية: روسيا كوريا ..."), so the line may
# be long.
LIST_MARKERS = frozenset(
    {"كلمات دلاليه", "الكلمات الدلاليه", "الكلمات المفتاحيه", "وسوم", "الوسوم", "tags", "related"}
)

# A dateline that repeats the outlet's name before the first sentence: "نيسان ـ قال ...".
DATELINE_SEPARATORS = "ـ-–—:"
