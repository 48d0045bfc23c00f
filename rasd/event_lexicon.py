"""The event taxonomy and its Arabic triggers, as data (read by :mod:`rasd.events`).

Patterns are regular expressions over text folded like :func:`rasd.dates.fold_for_matching`:
hamza-carrying alefs → ا, ى → ي, tashkeel and tatweel dropped, Eastern digits → 0-9; ta
marbuta is kept, so patterns write ``(?:ة|ه)`` where outlets vary. The engine adds the word
boundaries and the clitics that attach in front of any word (و ف ب ل ك), so ``زيار(?:ة|ه)``
also finds "وبزيارة". A trigger is one word or a short phrase that, in news prose, reports
that the event happened (or is scheduled); nouns that merely *name* a thing ("الحرب" as a
background, "العقوبات" as a state of affairs) either need a word nearby (``requires``) or a
date of their own in the sentence (``needs_date``).

Each entry carries a one-line *why*, so an analyst extending the lexicon knows what an entry
is for and what it must not catch.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    """One type of the taxonomy.

    Attributes:
        id: stable id written to ``events.event_type`` and used in URLs (``?type=``).
        label_ar: Arabic label for the dashboard.
        label_en: English label.
        why: what belongs here and what does not.
        needs_date: every trigger of this type needs a date of its own in the sentence.
        tolerance_days: reports of one event may date it this many days apart (time zones,
            "arrived Tuesday" vs "talks Wednesday"); used when clustering across articles.
    """

    id: str
    label_ar: str
    label_en: str
    why: str
    needs_date: bool = False
    tolerance_days: int = 1


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that reports an event of ``event_type``.

    Attributes:
        event_type: an :class:`EventType` id.
        pattern: regex over folded text; the engine adds word boundaries and clitics.
        weight: base confidence of an event reported by this trigger alone (0–1).
        why: what the trigger catches and what it must not.
        requires: regex that must match within ``window`` characters after the trigger
            (``requires_before`` also looks before it), or None.
        window: how far ``requires`` looks, in characters.
        requires_before: also accept ``requires`` in the window before the trigger.
        needs_date: the event exists only if the sentence gives this trigger its own
            (non-vague) date, e.g. a dated remark "قال … يوم الإثنين".
        exclude_before: regex; the trigger is ignored when the text just before matches it.
        exclude_after: regex; the trigger is ignored when the window after matches it.
        reporting: a reporting verb; dates between it and its complementizer (أن/إن) are
            the date of the report, not of the reported event.
    """

    event_type: str
    pattern: str
    weight: float
    why: str
    requires: str | None = None
    window: int = 60
    requires_before: bool = False
    needs_date: bool = False
    exclude_before: str | None = None
    exclude_after: str | None = None
    reporting: bool = False


EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "meeting_visit",
        "لقاء / زيارة",
        "Meeting / visit",
        "summits, talks, meetings, state visits and arrivals for them",
        tolerance_days=3,
    ),
    EventType(
        "agreement_signed",
        "توقيع اتفاق",
        "Agreement signed",
        "a treaty, agreement, memorandum or deal signed, concluded or reached",
    ),
    EventType(
        "ratification",
        "مصادقة",
        "Ratification",
        "a parliament or authority ratifying or approving a treaty or law",
    ),
    EventType(
        "statement",
        "تصريح / بيان",
        "Statement",
        "announcements, warnings, condemnations, denials, official statements, and "
        "remarks the text dates; undated quoting (قال، أضاف) is attribution, not an event",
    ),
    EventType(
        "military_deployment",
        "نشر قوات",
        "Military deployment",
        "troops or weapons deployed, sent, massed or present abroad",
    ),
    EventType(
        "missile_test",
        "تجربة صاروخية",
        "Missile / weapons test",
        "missile, rocket, satellite launches and weapons tests (not strikes on a target)",
    ),
    EventType(
        "attack",
        "هجوم",
        "Attack",
        "attacks, strikes, bombardments and raids that happened (not hypothetical ones)",
    ),
    EventType(
        "armed_conflict",
        "حرب / نزاع مسلح",
        "War / armed conflict",
        "a war or armed conflict placed in time; an undated background war is not an event",
        needs_date=True,
        tolerance_days=0,
    ),
    EventType(
        "sanction",
        "عقوبات",
        "Sanctions",
        "sanctions imposed or announced (not sanctions mentioned as a state of affairs)",
    ),
    EventType("election", "انتخابات", "Election", "elections, votes and referendums"),
    EventType(
        "resumption",
        "استئناف",
        "Resumption",
        "services, transport, trade, talks or relations resumed or reopened",
    ),
    EventType(
        "arms_transfer",
        "نقل أسلحة",
        "Arms transfer",
        "weapons or munitions supplied, sold, delivered or shipped to another party",
    ),
    EventType(
        "diplomatic",
        "علاقات دبلوماسية",
        "Diplomatic relations",
        "relations established or severed, recognition, ambassadors expelled/recalled",
    ),
    EventType("ceasefire", "وقف إطلاق النار", "Ceasefire", "ceasefires and truces"),
    EventType("protest", "احتجاجات", "Protest", "demonstrations, protests and sit-ins"),
)
EVENT_TYPE_IDS: tuple[str, ...] = tuple(t.id for t in EVENT_TYPES)
EVENT_TYPES_BY_ID: dict[str, EventType] = {t.id: t for t in EVENT_TYPES}

# -- shared word classes ------------------------------------------------------------------------
# Pronoun suffixes on nouns and verbs ("زيارته", "وقعها").
_PRON = r"(?:ه|ها|هم|هما|ي|نا|كم)?"
# Ta marbuta, or ت before a pronoun suffix ("زيارة", "زياره", "زيارتها").
_TA = r"(?:ة|ه|ت" + _PRON + r")"
AGREEMENT_NOUNS = (
    r"(?:ال)?(?:معاهد|اتفاقي|مذكر|وثيق|صفق|شراك)(?:ة|ه|ات)|(?:ال)?اتفاق(?:ا|ات)?|"
    r"(?:ال)?بروتوكول|(?:ال)?ميثاق|(?:ال)?عقد"
)
LAW_NOUNS = (
    r"(?:ال)?(?:قانون|مشروع|تعديل(?:ات)?|دستور|موازن(?:ة|ه)|ميزاني(?:ة|ه)|مرسوم)|"
    r"(?:ال)?(?:برلمان|دوما|كونغرس|كونجرس|كنيست|مجلس)"
)
TROOP_NOUNS = (
    r"(?:ال)?(?:قوات|جنود|جندي|عسكري(?:ين|ون)?|مقاتل(?:ين|ون)?|كتيب(?:ة|ه)|لواء|"
    r"صواريخ|منظوم(?:ة|ه|ات)|بطاري(?:ة|ه|ات)|حامل(?:ة|ه)|سفن|مدمر(?:ة|ه|ات)|قاذفات)"
)
MISSILE_NOUNS = r"(?:ال)?(?:صاروخ|صواريخ|قمر|اقمار|قذيف(?:ة|ه)|قذائف|طوربيد|مسير(?:ة|ه|ات))"
WEAPON_NOUNS = (
    r"(?:بال|ال|ب)?(?:ذخائر|ذخير(?:ة|ه)|اسلح(?:ة|ه)|سلاح|صواريخ|قذائف|مسيرات|"
    r"طائرات\s+مسير(?:ة|ه)|دبابات|عتاد|معدات\s+عسكري(?:ة|ه))"
)
# "حسبما قالت الوكالة": attribution of the whole sentence, not a remark of its own.
_ATTRIBUTION = r"(?:حسبما|حسب\s+ما|بحسب\s+ما|كما|وفق\s+ما|وفقا\s+لما|طبقا\s+لما|نقلا\s+عن)\s*$"

TRIGGERS: tuple[Trigger, ...] = (
    # -- meeting / visit ------------------------------------------------------------------------
    Trigger(
        "meeting_visit", r"زار(?:ت|ا|وا|تا)?|(?:س?[يت])زور(?:ون|ان)?", 0.8, "visited / will visit"
    ),
    Trigger(
        "meeting_visit",
        r"(?:ال)?زيار" + _TA,
        0.6,
        "a visit (noun), the commonest way Arabic news reports one",
    ),
    Trigger(
        "meeting_visit",
        r"التق(?:ي|ت|يا|وا|تا)|(?:س?[يتن])لتق(?:ي|يان|ون)|(?:ال)?لقاء" + _PRON,
        0.7,
        "met / a meeting",
    ),
    Trigger(
        "meeting_visit",
        r"اجتمع(?:ت|ا|وا|تا)?|(?:س?[يت])جتمع(?:ان|ون)?|(?:ال)?اجتماع(?:ات)?" + _PRON,
        0.7,
        "met / a meeting",
    ),
    Trigger("meeting_visit", r"(?:ال)?(?:محادثات|مباحثات)" + _PRON, 0.6, "talks"),
    Trigger("meeting_visit", r"(?:ال)?قم(?:ة|ه)", 0.6, "a summit"),
    Trigger(
        "meeting_visit",
        r"استقبل(?:ت|ه|ها)?|(?:ي|ت)ستقبل",
        0.6,
        "received (a visiting leader)",
        requires=r"(?:رئيس|وزير|زعيم|ملك|امير|وفد|نظير|سفير|مبعوث)",
        window=50,
    ),
    Trigger(
        "meeting_visit",
        r"وصل(?:ت|وا|ا)?\s+(?:الي|الي)|(?:ال)?وصول",
        0.5,
        "arrived in (for a visit)",
        requires=r"(?:زيار|قم|محادثات|لقاء|رسمي|رئيس|زعيم|وزير)",
        window=90,
        requires_before=True,
    ),
    Trigger(
        "meeting_visit",
        r"visit(?:ed|s)?|met\s+with",
        0.5,
        "English verbs left in machine-assembled wire copy",
    ),
    # -- agreements -----------------------------------------------------------------------------
    Trigger(
        "agreement_signed",
        r"وقع(?:ت|ا|وا|تا)?" + _PRON + r"|(?:س?ي|ست)وقع(?:ا|ان|ون|وا)?|(?:ال)?توقيع|الموقع(?:ة|ه)",
        0.8,
        "signed / the signing / the signed (treaty); only with an agreement noun "
        "nearby, since وقع is also 'happened' and توقع 'expected' is left out",
        requires=AGREEMENT_NOUNS,
        window=80,
        requires_before=True,
    ),
    Trigger(
        "agreement_signed",
        r"ابرم(?:ت|ا|وا)?" + _PRON + r"|(?:ال)?ابرام",
        0.8,
        "concluded (a treaty)",
        requires=AGREEMENT_NOUNS,
        window=80,
        requires_before=True,
    ),
    Trigger(
        "agreement_signed",
        r"(?:تم\s+)?(?:ال)?توصل(?:ت|ا|وا)?\s+(?:الي|الي)" + _PRON,
        0.7,
        "reached (an agreement)",
        requires=AGREEMENT_NOUNS,
        window=80,
        requires_before=True,
    ),
    Trigger(
        "agreement_signed", r"اتفق(?:ت|ا|وا|تا)?\s+علي|(?:ي|ت)تفق(?:ان|ون)?\s+علي", 0.5, "agreed on"
    ),
    Trigger(
        "agreement_signed",
        r"signed",
        0.5,
        "English verb left in machine-assembled wire copy",
        requires=AGREEMENT_NOUNS,
        requires_before=True,
    ),
    # -- ratification ---------------------------------------------------------------------------
    Trigger(
        "ratification",
        r"صادق(?:ت|ا|وا)?|(?:س?[يت])صادق|(?:ال)?مصادق(?:ة|ه)|صدق(?:ت)?\s+علي|(?:ال)?تصديق",
        0.8,
        "ratified / ratification; صادق is also a given name, so a treaty, law or "
        "legislature must be nearby",
        requires=AGREEMENT_NOUNS + "|" + LAW_NOUNS,
        window=80,
        requires_before=True,
    ),
    Trigger(
        "ratification",
        r"اقر(?:ت|ه|ها)?|(?:ال)?اقرار",
        0.5,
        "approved (a law or treaty); أقر is also 'admitted', hence the noun nearby",
        requires=AGREEMENT_NOUNS + "|" + r"(?:ال)?(?:قانون|مشروع|تعديل(?:ات)?|دستور|موازن(?:ة|ه))",
        window=40,
    ),
    Trigger(
        "ratification",
        r"ratif(?:ied|ies|y)",
        0.7,
        "English verb left in machine-assembled wire copy",
    ),
    # -- statements -----------------------------------------------------------------------------
    Trigger("statement", r"اعلن(?:ت|ا|وا|تا)?|(?:س?[يت])علن", 0.7, "announced"),
    Trigger("statement", r"حذر(?:ت|ا|وا)?|(?:ي|ت)حذر|(?:ال)?تحذير(?:ات)?", 0.6, "warned"),
    Trigger("statement", r"ندد(?:ت|ا|وا)?|(?:ي|ت)ندد|ادان(?:ت|ا|وا)?|(?:ي|ت)دين", 0.7, "condemned"),
    Trigger("statement", r"نف(?:ي|ت|يا|تا)|(?:ي|ت)نفي", 0.6, "denied"),
    Trigger("statement", r"رفض(?:ت|ا|تا|وا)?", 0.5, "rejected (claims, demands, offers)"),
    Trigger("statement", r"(?:ال)?بيان(?:ا)?", 0.6, "a statement was issued"),
    Trigger(
        "statement",
        r"علق(?:ت)?|(?:ي|ت)علق",
        0.6,
        "commented on; علقت alone is also 'were hung', so an official and على must follow",
        requires=r"(?:رئيس|وزير|وزار|متحدث|ناطق|مسؤول|زعيم|سفير|حكوم|الكرملين|الخارجي|الامين)"
        r"[^.]{0,50}?(?<![\w])علي(?![\w])",
        window=90,
    ),
    Trigger(
        "statement",
        r"وصف(?:ت)?|(?:ي|ت)صف|اعرب(?:ت|ا)?\s+(?:\S+\s+){0,4}?عن|(?:ي|ت)عرب\s+عن",
        0.4,
        "described / expressed: quoting verbs, events only when dated",
        needs_date=True,
        reporting=True,
    ),
    Trigger(
        "statement",
        r"قال(?:ت)?|صرح(?:ت)?|اكد(?:ت|ا)?|اوضح(?:ت)?|اضاف(?:ت)?|ذكر(?:ت)?|افاد(?:ت)?|"
        r"شدد(?:ت)?|اعتبر(?:ت)?",
        0.5,
        "a reporting verb is an event only when the text dates the remark ('قال … "
        "يوم الإثنين'); undated it is attribution",
        needs_date=True,
        exclude_before=_ATTRIBUTION,
        reporting=True,
    ),
    # -- military -------------------------------------------------------------------------------
    Trigger(
        "military_deployment",
        r"نشر(?:ت|وا)?|(?:ي|ت)نشر|(?:ال)?نشر",
        0.7,
        "deployed; نشر is also 'published', so troops or weapons must follow",
        requires=TROOP_NOUNS,
        window=40,
    ),
    Trigger(
        "military_deployment",
        r"ارسل(?:ت|وا)?|(?:ي|ت)رسل|(?:ال)?ارسال",
        0.7,
        "sent troops",
        requires=r"(?:ال)?(?:قوات|جنود|جندي|عسكري(?:ين)?|مقاتل(?:ين)?|تعزيزات)",
        window=40,
    ),
    Trigger(
        "military_deployment",
        r"حشد(?:ت|وا)?|(?:ي|ت)حشد|(?:ال)?حشود",
        0.6,
        "massed troops",
        requires=TROOP_NOUNS,
        window=40,
    ),
    Trigger(
        "military_deployment",
        r"[0-9][0-9,.]*\s+(?:جندي|جنود|عسكري|مقاتل)",
        0.5,
        "a number of soldiers somewhere is how deployments are usually reported",
    ),
    Trigger(
        "military_deployment",
        r"(?:ال)?انتشار|دخل(?:ت)?\s+(?:ال)?قوات",
        0.5,
        "deployment / troops entered",
        requires=TROOP_NOUNS,
        window=40,
        requires_before=True,
    ),
    Trigger(
        "missile_test",
        r"اطلق(?:ت|ا|وا)?|(?:س?[يت])طلق|(?:ال)?اطلاق",
        0.8,
        "launched missiles or a satellite; a launch *at* a target is an attack",
        requires=MISSILE_NOUNS,
        window=50,
        exclude_after=r"(?:علي|نحو|باتجاه|صوب|تجاه)\s+(?!البحر)",
    ),
    Trigger(
        "missile_test",
        r"(?:ال)?(?:تجرب(?:ة|ه)|تجارب|اختبار(?:ات)?)\s+(?:ال)?(?:صاروخي(?:ة|ه)?|صواريخ|صاروخ|"
        r"لصاروخ|نووي(?:ة|ه)?|باليستي(?:ة|ه)?)",
        0.8,
        "a missile or nuclear test",
    ),
    Trigger(
        "attack",
        r"اطلق(?:ت|وا)?|(?:ي|ت)طلق",
        0.6,
        "launched missiles at a target",
        requires=MISSILE_NOUNS + r".{0,40}?(?:علي|نحو|باتجاه|صوب|تجاه)\s+(?!البحر)",
        window=80,
    ),
    Trigger(
        "attack",
        r"هاجم(?:ت|وا)?|(?:ي|ت)هاجم|قصف(?:ت|وا)?|(?:ي|ت)قصف|اغار(?:ت)?|"
        r"استهدف(?:ت|وا)?|شن(?:ت|وا)?\s+(?:هجوم|هجمات|غار(?:ة|ه|ات)|ضربات)",
        0.7,
        "attacked / shelled / raided / targeted",
    ),
    Trigger(
        "attack",
        r"(?:ال)?(?:هجوم|هجمات|غار(?:ة|ه|ات)|قصف|تفجير|انفجار)"
        + _PRON
        + r"|(?:ال)?ضرب(?:ة|ه|ات)\s+(?:جوي|صاروخي|بطائر)",
        0.5,
        "an attack (noun): often a background reference, so it needs a date",
        needs_date=True,
    ),
    Trigger(
        "armed_conflict",
        r"(?:ال)?(?:حرب|حروب)" + _PRON + r"|(?:ال)?(?:نزاع|صراع)\s+(?:ال)?مسلح|(?:ال)?غزو|"
        r"(?:ال)?اجتياح",
        0.6,
        "a war placed in time ('الحرب الكورية 1950-1953')",
    ),
    # -- sanctions, elections, resumption, arms -------------------------------------------------
    Trigger(
        "sanction",
        r"فرض(?:ت|وا)?|(?:ي|ت)فرض|(?:ال)?فرض",
        0.8,
        "imposed sanctions",
        requires=r"عقوب",
        window=40,
    ),
    Trigger(
        "sanction",
        r"(?:ال)?عقوبات\s+(?:ال)?جديد(?:ة|ه)|حزم(?:ة|ه)\s+(?:من\s+)?(?:ال)?عقوبات",
        0.7,
        "new sanctions / a sanctions package",
    ),
    Trigger(
        "sanction",
        r"ادرج(?:ت|وا)?|(?:ي|ت)درج",
        0.6,
        "listed (for sanctions)",
        requires=r"عقوب|(?:ال)?قائم(?:ة|ه)\s+(?:ال)?(?:سوداء|عقوبات)",
        window=60,
    ),
    Trigger(
        "election",
        r"(?:ال)?(?:انتخابات|انتخاب|اقتراع|استفتاء)",
        0.6,
        "an election, vote or referendum",
    ),
    Trigger(
        "resumption",
        r"استانف(?:ت|وا)?|(?:س?[يت])ستانف|(?:ال)?استئناف|اعاد(?:ة|ه)\s+فتح|"
        r"(?:ال)?عود(?:ة|ه)\s+(?:ال)?(?:رحلات|حرك(?:ة|ه)|علاقات|مفاوضات|ملاح(?:ة|ه))",
        0.7,
        "resumed / reopened; 'محكمة الاستئناف' is a court of appeal",
        exclude_before=r"محكم(?:ة|ه)\s+$",
    ),
    Trigger(
        "arms_transfer",
        r"زود(?:ت|وا)?|(?:ي|ت)زود|(?:ال)?تزويد",
        0.7,
        "supplied (weapons)",
        requires=WEAPON_NOUNS,
        window=60,
    ),
    Trigger(
        "arms_transfer",
        r"قدم(?:ت|وا)?|سلم(?:ت|وا)?|(?:ال)?تسليم|ارسل(?:ت|وا)?|(?:ال)?ارسال|باع(?:ت|وا)?|"
        r"(?:ال)?بيع|نقل(?:ت|وا)?|شحن(?:ت|وا)?",
        0.6,
        "delivered / sent / sold (weapons)",
        requires=WEAPON_NOUNS,
        window=40,
    ),
    Trigger(
        "diplomatic",
        r"(?:اقام(?:ت|وا)?|(?:ال)?اقام(?:ة|ه)|قطع(?:ت|وا)?|(?:ال)?قطع)\s+(?:ال)?علاقات|"
        r"اعترف(?:ت)?\s+ب|(?:ال)?اعتراف\s+ب|(?:طرد(?:ت)?|استدع(?:ت|ي))\s+(?:ال)?سفير",
        0.6,
        "relations established or severed, recognition, ambassadors",
    ),
    Trigger(
        "ceasefire",
        r"وقف\s+(?:ال)?اطلاق\s+(?:ال)?نار|(?:ال)?هدن(?:ة|ه)|وقف\s+(?:ال)?(?:قتال|اعمال\s+(?:ال)?عدائي(?:ة|ه))",
        0.7,
        "a ceasefire or truce",
    ),
    Trigger(
        "protest",
        r"(?:ال)?(?:تظاهرات|مظاهرات|احتجاجات|اعتصام(?:ات)?)|تظاهر(?:وا|ت)?|احتج(?:وا|ت)?",
        0.6,
        "demonstrations and protests",
    ),
)

# -- modality: when a trigger does not report an event that happened ------------------------------
# A condition governs its clause: "إذا تعرض أحد الطرفين لهجوم" (mutual-defence wording).
CONDITIONAL = r"(?:اذا|لو|لولا|في\s+حال(?:ة|ه)?|ما\s+لم)"
# Speculation, fear, intention or allegation governs its clause: "احتمال إرسال أسلحة",
# "يتطلع إلى توقيع", "مزاعم بأن … قدمت". Scheduled events (من المقرر، سـ) are kept: they are
# timeline items, with lower confidence.
SPECULATIVE = (
    r"(?:احتمال|(?:ال)?محتمل(?:ة|ه)?|يتوقع|يتوقعون|توقعات|تتطلع\s+الي|يتطلع\s+الي|تعتزم|يعتزم|"
    r"تخطط|يخطط|مزاعم|ادعاءات|اتهامات|يخشي|تخشي|مخاوف|امكاني(?:ة|ه)|من\s+شان|"
    r"قد\s+(?!تم)[يتن]\w+|يسعي\s+الي|تسعي\s+الي|بهدف|لبحث)"
)
# Right after a trigger: "صفقة محتملة".
SPECULATIVE_AFTER = r"\s*(?:ال)?محتمل(?:ة|ه)?"
# Later in the trigger's clause: a verbal noun judged as a hypothetical ("إرسال أسلحة إلى
# أوكرانيا سيكون خطأ").
HYPOTHETICAL_AFTER = (
    r"(?<![\w])(?:سيكون|ستكون|سيشكل|ستشكل|قد\s+يكون|قد\s+تكون|من\s+شان(?:ه|ها))(?![\w])"
)
# Right before a trigger: "لن يوقعا", "عدم التوقيع".
NEGATION = r"(?<![\w])[وف]?(?:لم|لن|لا|عدم|دون|بدون|ليس|ليست)\s+$"
FUTURE = r"(?:^|\s)(?:سوف|من\s+المقرر|من\s+المنتظر|المقرر)\s+(?:\S+\s+)?$|^س[يتن]"
# Words that put a trigger and a date in different events: "صادق مجلس الاتحاد عقب تصديق
# الدوما … في 24 أكتوبر" — the date is the Duma's. Clause openers (حيث، فيما …) likewise.
RELATION_WORDS = (
    r"(?:عقب|بعد|قبل|اثر|قبيل|عشي(?:ة|ه)|منذ\s+ان|بعدما|قبلما|حيث|فيما|بينما|لكن|غير\s+ان|الا\s+ان)"
)
# Complementisers closing a reporting clause: "قال … يوم الإثنين إن …".
COMPLEMENTIZER = r"(?:ان|بان|لان|انه|انها|بانه|بانها)"
# Dates anchored by "منذ" start a duration ("منذ عام 2000"): never an event's date.
SINCE = r"منذ\s+$"
# Actor and location roles from entity types (rasd.entities): who acts, where it happens.
ACTOR_TYPES: frozenset[str] = frozenset({"PERSON", "ORG", "GPE"})
PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})
# A place preceded by one of these is where the event happened ("في بيونغ يانغ", "إلى موسكو").
LOCATIVE = r"(?:في|الي|داخل|بمدين(?:ة|ه)|بمنطق(?:ة|ه)|ب)\s*$"
