"""Words the temporal tagger (:func:`rasd.dates.tag_dates`) recognises, as data.

Every entry is written *folded* the way the tagger folds text before matching: hamza-carrying
alefs to bare alef, alef maqsura to ya, Persian letters to Arabic ones, tashkeel and in-word
tatweel dropped, Eastern digits to 0-9 (see ``rasd.dates._fold_for_tagging``). Ta marbuta is
*not* folded, so entries that end in it are listed in both spellings where outlets vary.

Why a lexicon module: the rules in ``rasd.dates`` are generic (a month word, a number, a
qualifier); what counts as a month word or a qualifier differs by country and outlet, and an
analyst adding a spelling should not have to read regular expressions.
"""

from __future__ import annotations

# -- Gregorian months -------------------------------------------------------------------------
# Why several series: Egypt and the Gulf transliterate the Latin names, the Levant and Iraq use
# Syriac names, the Maghreb uses French- (Algeria, Tunisia) or Spanish-derived (Morocco) names;
# many outlets print two together ("يونيو/حزيران", "حزيران (يونيو)"). English names are left
# out on purpose: in Arabic prose "may", "mar" and "jun" are never dates.
GREGORIAN_MONTHS: dict[str, int] = {
    # Egyptian / Gulf, with the spellings seen in the wild (إبريل, يونيه, يوليه).
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine / Iraqi; the two-word names also appear without the article (تشرين اول).
    "كانون الثاني": 1,
    "كانون ثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين اول": 10,
    "تشرين الثاني": 11,
    "تشرين ثاني": 11,
    "كانون الاول": 12,
    "كانون اول": 12,
    # Maghreb: Algeria/Tunisia (جانفي …) and Morocco (يوليوز، غشت، شتنبر …).
    "جانفي": 1,
    "فيفري": 2,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "جويليه": 7,
    "يوليوز": 7,
    "اوت": 8,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

# Month words that are also ordinary words, so they count as a month only next to a day, a
# year, the word شهر, a qualifier such as الماضي, or the other series' name. Why: "أب" is
# "father" (it folds to the same letters as "آب"), "ماي" is a Maghreb month but an English
# loan elsewhere, نيسان is also a Jordanian outlet's name and تموز a given name.
AMBIGUOUS_MONTHS: frozenset[str] = frozenset({"اب", "ماي", "نيسان", "تموز"})

# -- Hijri months -----------------------------------------------------------------------------
# Converted to Gregorian by hijridate (Umm al-Qura). Why the spelling spread: ذو/ذي by case,
# الآخر/الثاني and الآخرة/الثانية are both used for the 4th and 6th months.
HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1,
    "صفر": 2,
    "ربيع الاول": 3,
    "ربيع اول": 3,
    "ربيع الاخر": 4,
    "ربيع الثاني": 4,
    "ربيع ثاني": 4,
    "جمادي الاولي": 5,
    "جمادي الاول": 5,
    "جمادي الاخرة": 6,
    "جمادي الاخره": 6,
    "جمادي الثانية": 6,
    "جمادي الثانيه": 6,
    "جمادي الاخر": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعدة": 11,
    "ذو القعده": 11,
    "ذي القعدة": 11,
    "ذي القعده": 11,
    "ذو الحجة": 12,
    "ذو الحجه": 12,
    "ذي الحجة": 12,
    "ذي الحجه": 12,
}
# What marks a year as Hijri: هـ (folded to ه), هجري/هجرية, للهجرة.
HIJRI_MARKERS: tuple[str, ...] = ("ه", "هجري", "هجرية", "هجريه", "للهجرة", "للهجره")
# What marks a year as Gregorian (kept inside the expression's span).
GREGORIAN_MARKERS: tuple[str, ...] = ("م", "ميلادي", "ميلادية", "ميلاديه", "للميلاد")

# -- Weekdays ---------------------------------------------------------------------------------
# Python's date.weekday(): Monday is 0. Only the forms with the article are listed: without
# it, أحد is "one/anyone".
WEEKDAYS: dict[str, int] = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}
# Weekday words that are also ordinary words: الاثنين is "the two", الاحد "the one". They
# count as weekdays only after يوم / a part of the day / اليوم, before a qualifier or a
# date, or between commas, as datelines print them.
AMBIGUOUS_WEEKDAYS: frozenset[str] = frozenset({"الاثنين", "الاحد"})

# Parts of the day that may precede a day expression ("صباح الثلاثاء", "مساء أمس"); they
# belong to the span but do not change its precision (day).
DAY_PARTS: tuple[str, ...] = (
    "صباح",
    "مساء",
    "ظهر",
    "ظهيرة",
    "ظهيره",
    "عصر",
    "فجر",
    "ليلة",
    "ليله",
    "ليل",
    "صبيحة",
    "صبيحه",
    "عشية",
    "عشيه",
)

# -- Qualifiers -------------------------------------------------------------------------------
# After a period word: which occurrence relative to the document date is meant.
QUALIFIER_PAST: tuple[str, ...] = (
    "الماضي",
    "الماضية",
    "الماضيه",
    "المنصرم",
    "المنصرمة",
    "المنصرمه",
    "الفائت",
    "الفائتة",
    "الفائته",
    "السابق",
    "السابقة",
    "السابقه",
)
QUALIFIER_NEXT: tuple[str, ...] = ("المقبل", "المقبلة", "المقبله", "القادم", "القادمة", "القادمه")
QUALIFIER_THIS: tuple[str, ...] = ("الجاري", "الجارية", "الجاريه", "الحالي", "الحالية", "الحاليه")

# Modifiers that narrow a period without making it more precise: "مطلع العام الجاري" is still
# a year-precise expression (the tagger never invents a finer value); the word is kept in the
# span so a reader sees it. Why not refine to a quarter: "early" has no agreed boundary.
PERIOD_MODIFIERS: tuple[str, ...] = (
    "مطلع",
    "مستهل",
    "اوائل",
    "اواخر",
    "منتصف",
    "اواسط",
    "بداية",
    "بدايه",
    "نهاية",
    "نهايه",
    "اخر",
    "ختام",
    "غضون",
)
SEASONS: tuple[str, ...] = ("ربيع", "صيف", "خريف", "شتاء")

# Words before a bare year or month that make it a date ("في 2023", "منذ يونيو"); the word
# itself is not part of the span (a preposition), unlike عام/سنة which are.
DATE_PREPOSITIONS: tuple[str, ...] = (
    "في",
    "منذ",
    "حتي",
    "بحلول",
    "خلال",
    "قبل",
    "بعد",
    "طوال",
    "طيلة",
    "عقب",
    "اثر",
    "لغاية",
    "مع",
)
YEAR_NOUNS: tuple[str, ...] = ("عام", "العام", "سنة", "السنة", "سنه", "السنه", "عامي", "سنتي")
YEARS_PLURAL: tuple[str, ...] = (
    "اعوام",
    "الاعوام",
    "سنوات",
    "السنوات",
    "الفترة",
    "الفتره",
    "الفترة من",
    "الفتره من",
)

# Counted nouns: a four-digit number before one of these is a quantity, not a year ("في 2000
# موقع", "قرابة 1500 جندي"). Why a list: Arabic has no plural marker a rule could test.
COUNTED_NOUNS: frozenset[str] = frozenset(
    {
        "جندي",
        "جنود",
        "عسكري",
        "عسكريين",
        "مقاتل",
        "مقاتلين",
        "شخص",
        "اشخاص",
        "قتيل",
        "قتلي",
        "جريح",
        "جرحي",
        "مصاب",
        "اصابة",
        "اصابه",
        "حالة",
        "حاله",
        "مواطن",
        "مواطنا",
        "لاجئ",
        "لاجئا",
        "عامل",
        "موظف",
        "طالب",
        "نسمة",
        "نسمه",
        "فرد",
        "عنصر",
        "اسير",
        "معتقل",
        "دولار",
        "يورو",
        "جنيه",
        "ريال",
        "درهم",
        "دينار",
        "ليرة",
        "ليره",
        "روبل",
        "وون",
        "ين",
        "طن",
        "كيلو",
        "كيلومتر",
        "كلم",
        "كم",
        "متر",
        "ميل",
        "برميل",
        "ميغاواط",
        "هكتار",
        "فدان",
        "صاروخ",
        "صواريخ",
        "طائرة",
        "طائره",
        "دبابة",
        "دبابه",
        "قذيفة",
        "قذيفه",
        "سيارة",
        "سياره",
        "منزل",
        "وحدة",
        "وحده",
        "موقع",
        "قرية",
        "قريه",
        "مدرسة",
        "مدرسه",
        "سهم",
        "نقطة",
        "نقطه",
        "صوت",
        "مقعد",
        "صفحة",
        "صفحه",
        "كلمة",
        "كلمه",
        "مليون",
        "مليار",
        "الف",
        "الاف",
    }
)
# Words before a number that make it an identifier, not a date ("الرقم 2024", "المادة 51").
NUMBER_HEADS: frozenset[str] = frozenset(
    {
        "رقم",
        "الرقم",
        "هاتف",
        "الهاتف",
        "تلفون",
        "جوال",
        "مادة",
        "المادة",
        "ماده",
        "الماده",
        "البند",
        "بند",
        "القرار",
        "قرار",
        "الفقرة",
        "فقرة",
        "الفصل",
        "فصل",
        "صندوق",
        "ص.ب",
        "الطريق",
        "طريق",
        "غرفة",
        "مبني",
        "عدد",
        "العدد",
        "نسخة",
        "النسخة",
        "اصدار",
        "الاصدار",
        "موديل",
        "طراز",
        "ايفون",
    }
)
# Nouns that head a *name* containing a day and month ("حزب 30 يونيو", "ثورة 25 يناير",
# "جسر 6 أكتوبر"). Without a year such a name is not a date in the text's time: inferring
# the year from the document would date the 2011 revolution to 2024. With a printed year
# ("ثورة 25 يناير 2011") the date is explicit and is tagged.
NAME_HEADS: frozenset[str] = frozenset(
    {
        "حزب",
        "حركة",
        "حركه",
        "ثورة",
        "ثوره",
        "انتفاضة",
        "انتفاضه",
        "حرب",
        "معركة",
        "معركه",
        "شارع",
        "ميدان",
        "جسر",
        "كوبري",
        "كوبرى",
        "مدينة",
        "مدينه",
        "جامعة",
        "جامعه",
        "محور",
        "تحالف",
        "جبهة",
        "جبهه",
        "ائتلاف",
        "تيار",
        "نادي",
        "مستشفي",
        "مدرسة",
        "مدرسه",
        "حي",
        "مجموعة",
        "مجموعه",
        "ذكري",
        "قناة",
        "قناه",
        "مطار",
        "ملعب",
        "مصنع",
        "قاعدة",
        "قاعده",
        "اتفاق",
        "اتفاقية",
        "اتفاقيه",
        "بيان",
        "اعلان",
        "دستور",
        "احداث",
        "هجمات",
    }
)

# -- Relative expressions ---------------------------------------------------------------------
# Day words and their offset from the document date in days.
RELATIVE_DAYS: dict[str, int] = {
    "اليوم": 0,
    "الليلة": 0,
    "الليله": 0,
    "هذا الصباح": 0,
    "هذا المساء": 0,
    "امس": -1,
    "الامس": -1,
    "البارحة": -1,
    "البارحه": -1,
    "الليلة الماضية": -1,
    "الليله الماضيه": -1,
    "امس الاول": -2,
    "اول امس": -2,
    "اول من امس": -2,
    "غدا": 1,
    "يوم غد": 1,
    "الغد": 1,
    "بعد غد": 2,
    "بعد الغد": 2,
}
# Words after اليوم that make it "the day" of something, not today ("اليوم التالي",
# "اليوم الوطني"); words before it that make it part of a name ("المصري اليوم").
TODAY_NOT_AFTER: frozenset[str] = frozenset(
    {
        "الاول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
        "الاخير",
        "التالي",
        "السابق",
        "الموالي",
        "نفسه",
        "ذاته",
        "عينه",
        "الوطني",
        "العالمي",
        "الدولي",
        "المفتوح",
        "الدراسي",
        "الكامل",
        "الواحد",
        "المحدد",
        "الموعود",
        "الموعد",
        "المشهود",
        "المقبل",
        "الماضي",
    }
)
TODAY_NOT_BEFORE: frozenset[str] = frozenset(
    {
        "ذلك",
        "نفس",
        "ذات",
        "هذا",
        "المصري",
        "اخبار",
        "روسيا",
        "فلسطين",
        "تركيا",
        "الاردن",
        "عمان",
        "العراق",
        "لبنان",
        "سوريا",
        "مصر",
        "الخليج",
        "العرب",
        "حتي",
        "طوال",
        "طيلة",
        "يوم",
        "ليوم",
    }
)
# Period nouns for الأسبوع/الشهر/العام/السنة + qualifier, with the precision they give.
PERIOD_NOUNS: dict[str, str] = {
    "الاسبوع": "week",
    "الشهر": "month",
    "العام": "year",
    "السنة": "year",
    "السنه": "year",
}
# "هذا الأسبوع", "هذه السنة": the demonstrative makes the current period.
DEMONSTRATIVES: tuple[str, ...] = ("هذا", "هذه", "هذي")

# "قبل يومين", "بعد ثلاثة أسابيع": unit words with their precision and count (0 = the count
# is a separate number word or digits). Why dual forms: Arabic marks "two" on the noun.
UNIT_WORDS: dict[str, tuple[str, int]] = {
    "يوم": ("day", 1),
    "يوما": ("day", 0),
    "ايام": ("day", 0),
    "يومين": ("day", 2),
    "اسبوع": ("week", 1),
    "اسبوعا": ("week", 0),
    "اسابيع": ("week", 0),
    "اسبوعين": ("week", 2),
    "شهر": ("month", 1),
    "شهرا": ("month", 0),
    "اشهر": ("month", 0),
    "شهور": ("month", 0),
    "شهرين": ("month", 2),
    "عام": ("year", 1),
    "عاما": ("year", 0),
    "اعوام": ("year", 0),
    "عامين": ("year", 2),
    "سنة": ("year", 1),
    "سنه": ("year", 1),
    "سنوات": ("year", 0),
    "سنين": ("year", 0),
    "سنتين": ("year", 2),
}
NUMBER_WORDS: dict[str, int] = {
    "واحد": 1,
    "ثلاث": 3,
    "ثلاثة": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعة": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسة": 5,
    "خمسه": 5,
    "ست": 6,
    "ستة": 6,
    "سته": 6,
    "سبع": 7,
    "سبعة": 7,
    "سبعه": 7,
    "ثماني": 8,
    "ثمانية": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعة": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشرة": 10,
    "عشره": 10,
}
# Ordinals for the day of the month ("في الأول من يوليو") and for quarters/halves.
ORDINAL_DAYS: dict[str, int] = {
    "الاول": 1,
    "الثاني": 2,
    "الثالث": 3,
    "الرابع": 4,
    "الخامس": 5,
    "السادس": 6,
    "السابع": 7,
    "الثامن": 8,
    "التاسع": 9,
    "العاشر": 10,
}
QUARTERS: dict[str, int] = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الاخير": 4}
HALVES: dict[str, int] = {"الاول": 1, "الثاني": 2}

# Decade words: خمسين(ي)ات = the fifties. The century is the 20th unless the text says
# otherwise (القرن الحادي والعشرين / الحالي) — the reading almost every news text intends.
DECADES: dict[str, int] = {
    "عشرين": 2,
    "ثلاثين": 3,
    "اربعين": 4,
    "خمسين": 5,
    "ستين": 6,
    "سبعين": 7,
    "ثمانين": 8,
    "تسعين": 9,
}
CENTURIES: dict[str, int] = {
    "التاسع عشر": 18,
    "العشرين": 19,
    "الحادي والعشرين": 20,
    "الواحد والعشرين": 20,
}

# Vague references: a time the text does not say ("مؤخراً", "في الأيام المقبلة"). They are
# reported (so an event near one is known to be undated) but never carry a value.
VAGUE: tuple[str, ...] = (
    "مؤخرا",
    "في الاونة الاخيرة",
    "في الاونه الاخيره",
    "في السابق",
    "في وقت سابق",
    "في وقت لاحق",
    "لاحقا",
    "قريبا",
    "في وقت قريب",
    "في المستقبل القريب",
    "حاليا",
)
VAGUE_PERIOD_NOUNS: tuple[str, ...] = (
    "الايام",
    "الاسابيع",
    "الاشهر",
    "الشهور",
    "السنوات",
    "الاعوام",
    "العقود",
    "الساعات",
)
VAGUE_QUALIFIERS: tuple[str, ...] = (
    "المقبلة",
    "المقبله",
    "القادمة",
    "القادمه",
    "الماضية",
    "الماضيه",
    "الاخيرة",
    "الاخيره",
    "الفائتة",
    "الفائته",
    "الاولي",
)

# Range connectors: "من A إلى B", "بين A و B", "A - B".
RANGE_OPENERS: tuple[str, ...] = (
    "من",
    "بين",
    "ما بين",
    "خلال الفترة من",
    "خلال الفتره من",
    "في الفترة من",
    "في الفتره من",
    "الفترة من",
    "الفتره من",
)
RANGE_JOINERS: tuple[str, ...] = ("الي", "حتي", "لغاية", "ولغاية", "وحتي", "و", "-", "–", "—")
