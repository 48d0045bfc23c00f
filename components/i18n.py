"""Every UI string in Arabic and English, and date display at its precision.

``MESSAGES`` maps a message id to its text in each UI language; :func:`t` looks one up and
fills its ``{placeholders}``. A test asserts that every id has non-empty text in both.
Values spliced into messages (URL parameters, file names) are the caller's to escape.
"""

from __future__ import annotations

from datetime import date, datetime
from numbers import Integral
from typing import Any

LANGS = ("ar", "en")
DEFAULT_LANG = "ar"

# Month names for display. Arabic uses the Egyptian/Gulf series (يناير … ديسمبر) that the
# bundled outlets print; the Levantine series (كانون الثاني …) is recognised by the date
# parser, not shown here.
MONTHS: dict[str, tuple[str, ...]] = {
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    # -- app and navigation ---------------------------------------------------------------
    "app_name": {"ar": "رصد", "en": "Rasd"},
    "app_tagline": {
        "ar": "لوحة تحليل الأخبار العربية",
        "en": "Arabic news analytics",
    },
    "page_overview": {"ar": "نظرة عامة", "en": "Overview"},
    "page_timeline": {"ar": "الخط الزمني", "en": "Timeline"},
    "page_sources": {"ar": "المصادر", "en": "Sources"},
    "page_entities": {"ar": "الكيانات", "en": "Entities"},
    "page_articles": {"ar": "المقالات", "en": "Articles"},
    "page_data": {"ar": "البيانات والجودة", "en": "Data and quality"},
    # -- sidebar filters ------------------------------------------------------------------
    "filters_header": {"ar": "عوامل التصفية", "en": "Filters"},
    "filter_outlets": {"ar": "المنافذ الإعلامية", "en": "Outlets"},
    "filter_outlets_placeholder": {"ar": "كل المنافذ", "en": "All outlets"},
    "filter_from": {"ar": "من تاريخ", "en": "From"},
    "filter_to": {"ar": "إلى تاريخ", "en": "To"},
    "filter_q": {"ar": "بحث في النص", "en": "Search text"},
    "filter_q_help": {
        "ar": "كل الكلمات يجب أن ترد في العنوان أو النص؛ لا فرق بين أ وإ وا، ولا أثر للتشكيل.",
        "en": "Every word must appear in the title or text; hamza forms and diacritics "
        "are ignored.",
    },
    "filter_lang": {"ar": "لغة الواجهة", "en": "Interface language"},
    "filter_clear": {"ar": "مسح عوامل التصفية", "en": "Clear filters"},
    "filter_entities_active": {
        "ar": "مرشّح كيانات من الرابط: {value}",
        "en": "Entity filter from the link: {value}",
    },
    "filter_types_active": {
        "ar": "مرشّح أنواع أحداث من الرابط: {value}",
        "en": "Event-type filter from the link: {value}",
    },
    "filter_dates_help": {
        "ar": "مقالة تاريخها شهر أو سنة تُحسب إن تداخلت فترتها مع النطاق؛ المقالات بلا تاريخ "
        "تُستبعد عند تحديد نطاق.",
        "en": "An article dated to a month or year counts when that period overlaps the "
        "range; undated articles are left out whenever a range is set.",
    },
    # -- notices about the URL (keys follow rasd.filters.Notice.key) ----------------------
    "notice_unknown_param": {
        "ar": "تم تجاهل المعامل '{param}': معامل غير معروف",
        "en": "ignored parameter '{param}': unknown parameter",
    },
    "notice_too_long": {
        "ar": "تم تجاهل قيمة للمعامل '{param}': أطول من {value} حرفًا",
        "en": "ignored a value of parameter '{param}': longer than {value} characters",
    },
    "notice_bad_lang": {
        "ar": "تم تجاهل المعامل '{param}': '{value}' ليست لغة مدعومة (ar أو en)",
        "en": "ignored parameter '{param}': '{value}' is not a supported language (ar or en)",
    },
    "notice_bad_date": {
        "ar": "تم تجاهل المعامل '{param}': '{value}' ليس تاريخًا صحيحًا (الصيغة YYYY-MM-DD)",
        "en": "ignored parameter '{param}': '{value}' is not a valid date (use YYYY-MM-DD)",
    },
    "notice_reversed_range": {
        "ar": "تم تجاهل نطاق التاريخ: تاريخ البداية بعد تاريخ النهاية ({value})",
        "en": "ignored the date range: 'from' is after 'to' ({value})",
    },
    "notice_repeated_key": {
        "ar": "المعامل '{param}' مكرر: استُخدمت القيمة الأولى وتم تجاهل '{value}'",
        "en": "parameter '{param}' is repeated: the first value is used, '{value}' is ignored",
    },
    "notice_too_many_values": {
        "ar": "المعامل '{param}': تُستخدم أول {value} قيمة فقط",
        "en": "parameter '{param}': only the first {value} values are used",
    },
    "notice_bad_id": {
        "ar": "تم تجاهل المعامل '{param}': '{value}' ليس معرّفًا صالحًا",
        "en": "ignored parameter '{param}': '{value}' is not a valid id",
    },
    "notice_unknown_id": {
        "ar": "تم تجاهل المعامل '{param}': لا يوجد '{value}' في مجموعة البيانات هذه",
        "en": "ignored parameter '{param}': '{value}' is not in this dataset",
    },
    "notice_other": {
        "ar": "تم تجاهل المعامل '{param}': '{value}'",
        "en": "ignored parameter '{param}': '{value}'",
    },
    # -- dataset errors -------------------------------------------------------------------
    "error_title": {
        "ar": "تعذّرت قراءة مجموعة البيانات.",
        "en": "The dataset cannot be read.",
    },
    "error_detail": {"ar": "المشكلة: {detail}", "en": "What is wrong: {detail}"},
    "error_path": {"ar": "مجلد البيانات: {path}", "en": "Data folder: {path}"},
    "error_fix": {
        "ar": "للإصلاح، شغّل هذا الأمر من مجلد المشروع ثم أعد تحميل الصفحة:",
        "en": "To fix it, run this command from the project folder, then reload the page:",
    },
    "error_reason_missing_dir": {
        "ar": "لا توجد مجموعة بيانات مبنية في هذا المجلد.",
        "en": "There is no built dataset in this folder.",
    },
    "error_reason_missing_manifest": {
        "ar": "المجلد موجود لكنه ليس مجموعة بيانات مبنية (لا يوجد manifest.json).",
        "en": "The folder exists but is not a built dataset (no manifest.json).",
    },
    "error_reason_bad_manifest": {
        "ar": "ملف البيان manifest.json تالف أو غير مقروء.",
        "en": "manifest.json is damaged or unreadable.",
    },
    "error_reason_schema_version": {
        "ar": "مجموعة البيانات بُنيت بإصدار آخر من رصد؛ يجب إعادة بنائها.",
        "en": "The dataset was built by another version of Rasd and must be rebuilt.",
    },
    "error_reason_missing_table": {
        "ar": "أحد جداول مجموعة البيانات مفقود.",
        "en": "One of the dataset's tables is missing.",
    },
    "error_reason_unreadable_table": {
        "ar": "أحد جداول مجموعة البيانات تالف أو غير مقروء.",
        "en": "One of the dataset's tables is damaged or unreadable.",
    },
    "error_reason_schema_mismatch": {
        "ar": "أحد جداول مجموعة البيانات ينقصه أعمدة يتوقعها رصد.",
        "en": "One of the dataset's tables lacks columns Rasd expects.",
    },
    "error_unexpected": {
        "ar": "خطأ غير متوقع عند فتح البيانات ({kind})",
        "en": "unexpected error while opening the data ({kind})",
    },
    # -- shared words ---------------------------------------------------------------------
    "none_value": {"ar": "—", "en": "—"},
    "no_articles": {
        "ar": "لا توجد مقالات تطابق عوامل التصفية الحالية.",
        "en": "No articles match the current filters.",
    },
    "no_title": {"ar": "(بلا عنوان)", "en": "(no title)"},
    "date_unknown": {"ar": "تاريخ غير معروف", "en": "date unknown"},
    "period": {"ar": "الفترة", "en": "Period"},
    "period_day": {"ar": "يوم", "en": "Day"},
    "period_week": {"ar": "أسبوع", "en": "Week"},
    "period_month": {"ar": "شهر", "en": "Month"},
    "period_year": {"ar": "سنة", "en": "Year"},
    "week_of": {"ar": "أسبوع {date}", "en": "week of {date}"},
    "basis_metadata": {"ar": "من بيانات المصدر", "en": "from metadata"},
    "basis_explicit": {"ar": "مطبوع في النص", "en": "printed in the text"},
    "basis_inferred": {"ar": "مستنتج", "en": "inferred"},
    "basis_unknown": {"ar": "غير معروف", "en": "unknown"},
    "precision_minute": {"ar": "دقيقة", "en": "minute"},
    "precision_day": {"ar": "يوم", "en": "day"},
    "precision_month": {"ar": "شهر", "en": "month"},
    "precision_year": {"ar": "سنة", "en": "year"},
    "precision_unknown": {"ar": "غير معروفة", "en": "unknown"},
    "kind_exact": {"ar": "مطابقة تامة", "en": "exact"},
    "kind_near": {"ar": "شبه مطابقة", "en": "near"},
    "disposition_rejected": {"ar": "مرفوض", "en": "rejected"},
    "disposition_kept": {"ar": "محفوظ مع ملاحظة", "en": "kept, with a note"},
    # -- charts ---------------------------------------------------------------------------
    "chart_volume_title": {
        "ar": "المقالات لكل منفذ ({period})",
        "en": "Articles per outlet per {period}",
    },
    "chart_outlets_title": {"ar": "المقالات حسب المنفذ", "en": "Articles per outlet"},
    "chart_basis_title": {
        "ar": "كيف عُرفت تواريخ النشر",
        "en": "How publication dates were obtained",
    },
    "axis_articles": {"ar": "عدد المقالات", "en": "Articles"},
    "axis_published": {"ar": "تاريخ النشر", "en": "Publication date"},
    "axis_outlet": {"ar": "المنفذ", "en": "Outlet"},
    "axis_basis": {"ar": "مصدر التاريخ", "en": "Date basis"},
    "legend_precision": {"ar": "دقة التاريخ", "en": "Date precision"},
    "legend_outlet": {"ar": "المنفذ", "en": "Outlet"},
    "series_unique": {"ar": "مقالات فريدة", "en": "Unique articles"},
    "series_copies": {"ar": "نسخ مكررة", "en": "Copies"},
    "hover_count": {"ar": "{label}: {n} مقالة", "en": "{label}: {n} articles"},
    "chart_empty": {"ar": "لا بيانات لعرضها", "en": "No data to show"},
    # -- overview -------------------------------------------------------------------------
    "metric_articles": {"ar": "المقالات", "en": "Articles"},
    "metric_articles_help": {
        "ar": "المقالات الفريدة التي تطابق عوامل التصفية (النسخ المكررة لا تُحسب).",
        "en": "Unique articles matching the filters (copies are not counted).",
    },
    "metric_outlets": {"ar": "المنافذ", "en": "Outlets"},
    "metric_copies": {"ar": "النسخ المكررة", "en": "Copies (duplicates)"},
    "metric_undated": {"ar": "بلا تاريخ", "en": "Undated"},
    "metric_first": {"ar": "أول تاريخ نشر", "en": "First publication date"},
    "metric_last": {"ar": "آخر تاريخ نشر", "en": "Last publication date"},
    "metric_quarantined": {"ar": "سجلات معزولة", "en": "Quarantined"},
    "metric_quarantined_help": {
        "ar": "سجلات مدخلة رفضها البناء (لكل مجموعة البيانات، لا تتأثر بعوامل التصفية).",
        "en": "Input records the build rejected (whole dataset; filters do not apply).",
    },
    "not_placed_caption": {
        "ar": "غير ممثلة في الرسم: {undated} مقالة بلا تاريخ، و{imprecise} مقالة تاريخها "
        "أقل دقة من {period}.",
        "en": "Not placed in this chart: {undated} undated article(s) and {imprecise} "
        "article(s) whose date is less precise than a {period}.",
    },
    "no_dated": {
        "ar": "لا توجد مقالة تاريخها دقيق بما يكفي لوضعها على المحور الزمني.",
        "en": "No article has a date precise enough to place on the time axis.",
    },
    # -- timeline -------------------------------------------------------------------------
    "timeline_intro": {
        "ar": "حجم النشر عبر الزمن لكل منفذ، بحسب تاريخ نشر المقالات.",
        "en": "Publishing volume over time per outlet, by the articles' publication dates.",
    },
    "events_not_built": {
        "ar": "لم يُبنَ استخراج الأحداث بعد: جدول الأحداث فارغ في مجموعة البيانات هذه، "
        "لذلك يعرض هذا الخط الزمني تواريخ النشر فقط، لا تواريخ وقوع الأحداث.",
        "en": "Event extraction is not built yet: the events table in this dataset is "
        "empty, so this timeline shows publication dates only, not when events happened.",
    },
    "events_title": {"ar": "الأحداث المستخرجة", "en": "Extracted events"},
    "events_none_match": {
        "ar": "لا توجد أحداث مستخرجة تطابق عوامل التصفية الحالية.",
        "en": "No extracted events match the current filters.",
    },
    "basis_table_title": {
        "ar": "دقة التواريخ ومصدرها",
        "en": "Date precision and basis",
    },
    # -- sources --------------------------------------------------------------------------
    "sources_intro": {
        "ar": "كل منفذ ضمن عوامل التصفية الحالية: عدد المقالات، والنسخ المكررة، "
        "والمقالات بلا تاريخ، ومدى تواريخ النشر.",
        "en": "Each outlet under the current filters: articles, copies, undated articles "
        "and the span of publication dates.",
    },
    "duplicates_title": {"ar": "النسخ المكررة وإعادة النشر", "en": "Duplicates and syndication"},
    "no_duplicates": {
        "ar": "لا توجد نسخ مكررة ضمن عوامل التصفية الحالية.",
        "en": "No duplicates under the current filters.",
    },
    # -- sources: source comparison charts (components/charts_sources.py) ---------------
    "sources_volume_title": {
        "ar": "المقالات لكل منفذ ({period})",
        "en": "Articles per outlet per {period}",
    },
    "sources_volume_share_title": {
        "ar": "حصة كل فترة من إنتاج المنفذ ({period})",
        "en": "Share of each outlet's output per {period}",
    },
    "sources_axis_share_output": {
        "ar": "الحصة من إنتاج المنفذ",
        "en": "Share of the outlet's output",
    },
    "sources_hover_volume": {
        "ar": "{label}: {n} مقالة ({pct} من إنتاج المنفذ)",
        "en": "{label}: {n} articles ({pct} of the outlet's output)",
    },
    "sources_sov_title": {
        "ar": "حصة الحضور: نسبة مقالات كل منفذ التي تذكر كل بند",
        "en": "Share of voice: fraction of each outlet's articles that mention each item",
    },
    "sources_n_articles": {"ar": "{n} مقالة", "en": "{n} articles"},
    "sources_hover_share": {
        "ar": "{n} من {total} مقالة ({pct})",
        "en": "{n} of {total} articles ({pct})",
    },
    "sources_share_legend": {"ar": "نسبة المقالات", "en": "Share of articles"},
    "sources_axis_entity": {"ar": "الكيان", "en": "Entity"},
    "sources_axis_event_type": {"ar": "نوع الحدث", "en": "Event type"},
    "sources_profile_entities": {
        "ar": "الكيانات الأكثر حضورًا في مقالاته",
        "en": "Entities in most of its articles",
    },
    "sources_profile_types": {
        "ar": "أنواع الأحداث الأكثر حضورًا في مقالاته",
        "en": "Event types in most of its articles",
    },
    "sources_cov_title": {
        "ar": "تغطية الأحداث: من نشر أي قصة، ومن سبق، وبأي فارق",
        "en": "Event coverage: who reported which story, who was first, and how much later",
    },
    "sources_story": {"ar": "قصة", "en": "Story"},
    "sources_axis_story": {"ar": "القصة (نوع الحدث وتاريخه)", "en": "Story (event type and date)"},
    "sources_status_first": {"ar": "الأول", "en": "first"},
    "sources_status_same_day": {"ar": "اليوم نفسه", "en": "same day"},
    "sources_status_later": {"ar": "لاحقًا", "en": "later"},
    "sources_status_unknown": {"ar": "تاريخ النشر غير معروف", "en": "publication date unknown"},
    "sources_status_unknown_short": {"ar": "؟ غير معروف", "en": "? unknown"},
    "sources_lag_hours": {"ar": "+{n} ساعة", "en": "+{n} h"},
    "sources_lag_days": {"ar": "+{n} يوم", "en": "+{n} d"},
    "sources_lag_legend": {"ar": "التأخر (أيام)", "en": "Lag (days)"},
    "sources_not_reported": {"ar": "لم ينشر هذه القصة", "en": "did not report this story"},
    "sources_hover_coverage": {
        "ar": "{status}؛ {n} مقالة منها {copies} نسخة؛ أول نشر: {published}",
        "en": "{status}; {n} articles, {copies} of them copies; first published: {published}",
    },
    "sources_terms_title": {
        "ar": "المفردات المميزة لكل منفذ مقارنة ببقية المنافذ",
        "en": "Distinctive words of each outlet against the other outlets",
    },
    "sources_axis_z": {
        "ar": "درجة التميّز (z للوغاريتم الأرجحية الموزون)",
        "en": "Distinctiveness (z-score of the weighted log-odds)",
    },
    "sources_hover_term": {
        "ar": "ورد {count} مرة؛ {rate} لكل 10,000 كلمة مقابل {rest} لدى البقية؛ z = {z}",
        "en": "used {count} times; {rate} per 10,000 words vs {rest} elsewhere; z = {z}",
    },
    "sources_flows_title": {
        "ar": "من ينقل عن من: النسخ المكررة بين المنافذ",
        "en": "Who copies whom: duplicated articles between outlets",
    },
    "sources_axis_copy_outlet": {"ar": "المنفذ الناقل", "en": "Copying outlet"},
    "sources_axis_original_outlet": {"ar": "منفذ الأصل", "en": "Original outlet"},
    "sources_copies_legend": {"ar": "النسخ", "en": "Copies"},
    "sources_hover_flow": {
        "ar": "{copier} نقل {n} مقالة عن {original} (متوسط التشابه {similarity})",
        "en": "{copier} copied {n} articles from {original} (mean similarity {similarity})",
    },
    "sources_first_original": {"ar": "الأصل", "en": "original"},
    "sources_first_copy": {"ar": "النسخة", "en": "copy"},
    "sources_first_same_day": {"ar": "في اليوم نفسه", "en": "same day"},
    "sources_first_same_time": {"ar": "في الوقت نفسه", "en": "same time"},
    "sources_first_unknown": {"ar": "غير معروف", "en": "unknown"},
    "sources_col_first": {"ar": "من نُشر أولًا", "en": "Published first"},
    "sources_col_lag": {"ar": "فارق النسخة عن الأصل", "en": "Copy's lag"},
    "sources_col_term": {"ar": "المفردة", "en": "Word"},
    "sources_col_rate": {"ar": "لكل 10,000 كلمة", "en": "Per 10,000 words"},
    "sources_col_rate_rest": {"ar": "لدى البقية لكل 10,000", "en": "Elsewhere per 10,000"},
    "sources_col_z": {"ar": "z", "en": "z"},
    "sources_span": {"ar": "من {first} إلى {last}", "en": "{first} to {last}"},
    # -- sources: the page (pages/sources.py) ---------------------------------------------
    "sources_include_copies": {
        "ar": "احتساب النسخ المكررة ضمن مقالات منافذها",
        "en": "Count copies as their outlet's articles",
    },
    "sources_include_copies_help": {
        "ar": "افتراضيًا تُحسب المقالة المعاد نشرها أو المكررة مرة واحدة، لمنفذ الأصل. "
        "فعّل هذا الخيار لاحتساب كل نسخة لمنفذها في الحجم وحصة الحضور والمفردات المميزة.",
        "en": "By default a syndicated or duplicated article counts once, for the outlet of "
        "the original. Turn this on to count every copy for its own outlet in volume, share "
        "of voice and distinctive words.",
    },
    "sources_volume_header": {"ar": "حجم النشر عبر الزمن", "en": "Volume over time"},
    "sources_measure": {"ar": "المقياس", "en": "Measure"},
    "sources_measure_n": {"ar": "عدد المقالات", "en": "Article counts"},
    "sources_measure_share": {"ar": "الحصة من إنتاج المنفذ", "en": "Share of the outlet's output"},
    "sources_volume_caption": {
        "ar": "العدد: مقالات كل منفذ في كل فترة. الحصة: مقالات الفترة مقسومة على كل مقالات "
        "المنفذ الموضوعة على المحور، فيُقارن إيقاع منفذ صغير بإيقاع منفذ كبير.",
        "en": "Counts: each outlet's articles per period. Share: the period's articles divided "
        "by all of the outlet's articles on the axis, so a small outlet's rhythm compares "
        "with a big one's.",
    },
    "sources_sov_header": {"ar": "حصة الحضور", "en": "Share of voice"},
    "sources_sov_by": {"ar": "حسب", "en": "By"},
    "sources_by_entity": {"ar": "الكيانات", "en": "Entities"},
    "sources_by_event_type": {"ar": "أنواع الأحداث", "en": "Event types"},
    "sources_sov_caption": {
        "ar": "كل خلية: عدد مقالات المنفذ التي تذكر البند مقسومًا على كل مقالات المنفذ ضمن "
        "عوامل التصفية، لا على مقالات كل المنافذ؛ فالمنفذ الكبير لا يطغى. الأعداد الخام عند "
        "تمرير المؤشر. البنود: الأكثر ذكرًا في عدد المقالات.",
        "en": "Each cell: the outlet's articles that mention the item divided by all of the "
        "outlet's articles under the filters, not by everyone's, so a big outlet does not "
        "drown the rest. Raw counts on hover. Items: those mentioned in the most articles.",
    },
    "sources_sov_none": {
        "ar": "لا تُذكر أي بنود في المقالات التي تطابق عوامل التصفية.",
        "en": "No item is mentioned in the articles matching the filters.",
    },
    "sources_sov_not_built_entity": {
        "ar": "لم يُبنَ استخراج الكيانات بعد في مجموعة البيانات هذه.",
        "en": "Entity extraction is not built in this dataset yet.",
    },
    "sources_sov_not_built_event_type": {
        "ar": "لم يُبنَ استخراج الأحداث بعد في مجموعة البيانات هذه.",
        "en": "Event extraction is not built in this dataset yet.",
    },
    "sources_cov_header": {"ar": "تغطية الأحداث", "en": "Event coverage"},
    "sources_cov_caption": {
        "ar": "الصفوف: قصص (تقارير عن الحدث نفسه في مقالات مختلفة)، والأعمدة: المنافذ. اللون: "
        "التأخر بالأيام عن أول من نشر القصة (بالساعات حين يُعرف وقت النشر في الجهتين)؛ "
        'الأخضر هو الأول. الرمادي "؟": ليس لمقالات المنفذ عن القصة تاريخ نشر معروف '
        "باليوم، فلا يُخمَّن. الخلية الفارغة: لم ينشر المنفذ القصة. النسخة المكررة تُحسب "
        "تغطية لقصة أصلها. تصفية نوع الحدث أو الكيان تختار قصصًا كاملة: قصص ذلك النوع، "
        "والقصص التي يسمّي فيها تقريرٌ الكيانَ.",
        "en": "Rows: stories (reports of the same event across articles); columns: outlets. "
        "Colour: days behind the first report of the story (hours when both publication "
        'times are known); green is first. Grey "?": none of the outlet\'s reports has a '
        "publication date known to the day, so no lag is guessed. Empty cell: the outlet "
        "did not report the story. A copy counts as coverage of its original's story. "
        "The event-type and entity filters select whole stories: those of the type, and "
        "those in which a report names the entity.",
    },
    "sources_cov_none": {
        "ar": "لا توجد قصص تطابق عوامل التصفية في المقالات المختارة.",
        "en": "No story matching the filters is reported in the selected articles.",
    },
    "sources_cov_not_built": {
        "ar": "لم يُبنَ استخراج الأحداث بعد في مجموعة البيانات هذه، فلا مصفوفة تغطية.",
        "en": "Event extraction is not built in this dataset yet, so there is no coverage matrix.",
    },
    "sources_terms_header": {"ar": "المفردات المميزة", "en": "Distinctive vocabulary"},
    "sources_terms_caption": {
        "ar": "الكلمات التي يستعملها كل منفذ أكثر من بقية المنافذ ضمن عوامل التصفية: لوغاريتم "
        "الأرجحية الموزون مع توزيع ديريشليه مسبق مأخوذ من مجموع المقالات (مونرو وكولاريسي "
        "وكوين، 2008)، مقسومًا على خطئه المعياري (z). تُعد الكلمات بعد توحيد الكتابة (الهمزات، "
        "التاء المربوطة، التشكيل) وحذف كلمات الربط، وتُجمع صيغ السوابق (و، ال، بال، لل). "
        "تُقرأ عينة ثابتة من {sample} مقالة لكل منفذ (العينة نفسها في كل عرض، وما يطابق "
        "عوامل التصفية منها)، فالأرقام تقديرات من العينة.",
        "en": "Words each outlet uses more than the other outlets under the filters: weighted "
        "log-odds with an informative Dirichlet prior from all the compared articles (Monroe, "
        "Colaresi and Quinn, 2008), divided by its standard error (z). Words are counted after "
        "folding spelling (hamza, ta marbuta, diacritics) and removing stop words; prefixed "
        "forms (و، ال، بال، لل) count as one word. A fixed sample of {sample} articles per "
        "outlet is read (the same sample in every view, those of it that match the filters), "
        "so the figures are estimates from that sample.",
    },
    "sources_terms_read": {
        "ar": "المقالات المقروءة لكل منفذ: {counts}",
        "en": "Articles read per outlet: {counts}",
    },
    "sources_terms_need_two": {
        "ar": "تحتاج المقارنة إلى منفذين على الأقل ضمن عوامل التصفية.",
        "en": "The comparison needs at least two outlets under the filters.",
    },
    "sources_synd_caption": {
        "ar": "أزواج مقالات نصها متطابق أو شبه متطابق (كشف التكرار عند البناء: تشابه جاكارد "
        'لمقاطع من خمس كلمات). "من نُشر أولًا" يقارن تاريخي النشر فقط حين يُعرف كلاهما '
        "باليوم. الخريطة: عدد النسخ من كل منفذ ناقل عن كل منفذ أصل.",
        "en": "Pairs of articles whose text is identical or nearly so (the build's duplicate "
        'detection: Jaccard similarity of 5-word shingles). "Published first" compares '
        "publication dates only when both are known to the day. The map counts copies from "
        "each copying outlet of each original outlet.",
    },
    "sources_profile_header": {"ar": "ملف المنفذ", "en": "Outlet profile"},
    "sources_profile_select": {"ar": "اختر منفذًا", "en": "Choose an outlet"},
    "sources_profile_placeholder": {"ar": "— لا شيء —", "en": "— none —"},
    "sources_metric_copies_of_others": {
        "ar": "نسخ عن منافذ أخرى",
        "en": "Copies of other outlets",
    },
    "sources_metric_copied_by_others": {
        "ar": "نسخته منافذ أخرى",
        "en": "Copied by other outlets",
    },
    "sources_profile_span": {"ar": "مدى تواريخ النشر: {span}", "en": "Publication dates: {span}"},
    "sources_profile_caption": {
        "ar": "النسب: مقالات المنفذ التي تذكر البند مقسومة على كل مقالاته ضمن عوامل التصفية. "
        "المفردات: مقارنة بكل المنافذ الأخرى ضمن عوامل التصفية.",
        "en": "Shares: the outlet's articles that mention the item divided by all its articles "
        "under the filters. Words: compared with all the other outlets under the filters.",
    },
    "sources_profile_no_entity": {
        "ar": "لا كيانات مذكورة في مقالات هذا المنفذ.",
        "en": "No entity is mentioned in this outlet's articles.",
    },
    "sources_profile_no_event_type": {
        "ar": "لا أحداث مستخرجة من مقالات هذا المنفذ.",
        "en": "No event is extracted from this outlet's articles.",
    },
    # -- entities -------------------------------------------------------------------------
    "entities_not_built": {
        "ar": "لم يُبنَ استخراج الكيانات بعد: جدول الكيانات فارغ في مجموعة البيانات هذه، "
        "فلا يُعرض هنا شيء حتى يُبنى.",
        "en": "Entity extraction is not built yet: the entities table in this dataset is "
        "empty, so nothing is shown here until it is built.",
    },
    "entities_intro": {
        "ar": "الكيانات الأكثر ذكرًا في المقالات التي تطابق عوامل التصفية.",
        "en": "The entities mentioned most in the articles matching the filters.",
    },
    "entities_none_match": {
        "ar": "لا توجد كيانات مذكورة في المقالات التي تطابق عوامل التصفية.",
        "en": "No entity is mentioned in the articles matching the filters.",
    },
    # -- articles -------------------------------------------------------------------------
    "articles_count": {
        "ar": "عدد المقالات المطابقة: {total}",
        "en": "Matching articles: {total}",
    },
    "articles_truncated": {
        "ar": "تُعرض أول {shown} مقالة فقط؛ ضيّق عوامل التصفية لرؤية البقية.",
        "en": "Only the first {shown} are listed; narrow the filters to see the rest.",
    },
    "reader_select": {"ar": "اختر مقالة لقراءتها", "en": "Choose an article to read"},
    "reader_placeholder": {"ar": "— لا شيء —", "en": "— none —"},
    "reader_not_found": {
        "ar": "لا توجد مقالة بالمعرّف '{value}' في مجموعة البيانات هذه.",
        "en": "There is no article with id '{value}' in this dataset.",
    },
    "reader_outside_filters": {
        "ar": "هذه المقالة لا تطابق عوامل التصفية الحالية، لكنها معروضة لأن الرابط يطلبها.",
        "en": "This article does not match the current filters; it is shown because the "
        "link asks for it.",
    },
    "reader_empty_text": {"ar": "(لا يوجد نص)", "en": "(no text)"},
    "reader_close": {"ar": "إغلاق القارئ", "en": "Close the reader"},
    "duplicate_marker": {"ar": "نسخة مكررة", "en": "copy"},
    "prov_title": {"ar": "المصدر والتوثيق", "en": "Provenance"},
    "prov_article_id": {"ar": "معرّف المقالة", "en": "Article id"},
    "prov_outlet": {"ar": "المنفذ", "en": "Outlet"},
    "prov_source_ref": {"ar": "السجل المصدر", "en": "Source record"},
    "prov_url": {"ar": "الرابط", "en": "URL"},
    "prov_published": {"ar": "تاريخ النشر", "en": "Published"},
    "prov_precision": {"ar": "دقة التاريخ", "en": "Date precision"},
    "prov_basis": {"ar": "مصدر التاريخ", "en": "Date basis"},
    "prov_evidence": {"ar": "دليل التاريخ", "en": "Date evidence"},
    "evidence_field": {"ar": "من الحقل {column}", "en": "from field {column}"},
    "evidence_impossible_field": {
        "ar": "تاريخ مستحيل في الحقل {column}",
        "en": "impossible date in field {column}",
    },
    "evidence_not_a_date_field": {
        "ar": "ليس تاريخًا، الحقل {column}",
        "en": "not a date, field {column}",
    },
    "evidence_printed": {"ar": "مطبوع في الصفحة", "en": "printed on the page"},
    "evidence_impossible_printed": {"ar": "تاريخ مطبوع مستحيل", "en": "impossible printed date"},
    "evidence_under_headline": {
        "ar": "تاريخ تحت العنوان (مستنتج)",
        "en": "date under the headline (inferred)",
    },
    "evidence_page_header": {
        "ar": "تاريخ رأس الصفحة، لم يُستخدم: هو تاريخ عرض الصفحة لا تاريخ نشر الخبر",
        "en": "page header date, not used: it is when the page was shown, not when the story was published",
    },
    "prov_duplicate_of": {"ar": "نسخة من", "en": "Copy of"},
    "prov_open_original": {"ar": "فتح المقالة الأصلية", "en": "Open the original"},
    "prov_chars": {"ar": "عدد الأحرف", "en": "Characters"},
    "url_not_link": {
        "ar": "(ليس رابط ويب؛ معروض نصًا)",
        "en": "(not a web link; shown as text)",
    },
    # -- data -----------------------------------------------------------------------------
    "data_build": {"ar": "البناء", "en": "Build"},
    "data_counts": {"ar": "الأعداد", "en": "Counts"},
    "data_counts_note": {
        "ar": "كل سجل مدخل ينتهي في مكان واحد: محفوظ، أو نسخة مكررة، أو معزول مع السبب.",
        "en": "Every input record ends in exactly one place: kept, duplicate, or "
        "quarantined with a reason.",
    },
    "data_inputs": {"ar": "الملفات المدخلة", "en": "Inputs"},
    "data_timings": {"ar": "التوقيت (ثوانٍ)", "en": "Timings (seconds)"},
    "data_stages": {"ar": "مراحل البناء", "en": "Build stages"},
    "data_quarantine": {"ar": "السجلات المعزولة", "en": "Quarantine"},
    "data_no_quarantine": {"ar": "لم يُعزل أي سجل.", "en": "No record was quarantined."},
    "data_tables": {"ar": "الجداول", "en": "Tables"},
    "data_manifest_raw": {"ar": "البيان الكامل (manifest.json)", "en": "Full manifest.json"},
    # -- table columns --------------------------------------------------------------------
    "col_item": {"ar": "البند", "en": "Item"},
    "col_value": {"ar": "القيمة", "en": "Value"},
    "col_outlet": {"ar": "المنفذ", "en": "Outlet"},
    "col_outlet_id": {"ar": "معرّف المنفذ", "en": "Outlet id"},
    "col_articles": {"ar": "المقالات", "en": "Articles"},
    "col_copies": {"ar": "النسخ المكررة", "en": "Copies"},
    "col_undated": {"ar": "بلا تاريخ", "en": "Undated"},
    "col_imprecise": {"ar": "تاريخ شهر أو سنة", "en": "Month/year dates"},
    "col_first": {"ar": "أول تاريخ", "en": "First date"},
    "col_last": {"ar": "آخر تاريخ", "en": "Last date"},
    "col_title": {"ar": "العنوان", "en": "Title"},
    "col_published": {"ar": "تاريخ النشر", "en": "Published"},
    "col_basis": {"ar": "مصدر التاريخ", "en": "Date basis"},
    "col_precision": {"ar": "الدقة", "en": "Precision"},
    "col_count": {"ar": "العدد", "en": "Count"},
    "col_kind": {"ar": "النوع", "en": "Kind"},
    "col_similarity": {"ar": "التشابه", "en": "Similarity"},
    "col_original_outlet": {"ar": "منفذ الأصل", "en": "Original outlet"},
    "col_original_title": {"ar": "عنوان الأصل", "en": "Original title"},
    "col_original_published": {"ar": "نشر الأصل", "en": "Original published"},
    "col_source_ref": {"ar": "السجل المصدر", "en": "Source record"},
    "col_reason": {"ar": "السبب", "en": "Reason"},
    "col_detail": {"ar": "التفاصيل", "en": "Detail"},
    "col_disposition": {"ar": "المآل", "en": "Disposition"},
    "col_path": {"ar": "المسار", "en": "Path"},
    "col_file_kind": {"ar": "الصيغة", "en": "Format"},
    "col_bytes": {"ar": "البايتات", "en": "Bytes"},
    "col_records": {"ar": "السجلات", "en": "Records"},
    "col_sha256": {"ar": "SHA-256", "en": "SHA-256"},
    "col_table": {"ar": "الجدول", "en": "Table"},
    "col_rows": {"ar": "الصفوف", "en": "Rows"},
    "col_name_ar": {"ar": "الاسم بالعربية", "en": "Arabic name"},
    "col_name_en": {"ar": "الاسم بالإنجليزية", "en": "English name"},
    "col_entity_type": {"ar": "النوع", "en": "Type"},
    "col_mentions": {"ar": "الإشارات", "en": "Mentions"},
    "col_wikidata": {"ar": "ويكي بيانات", "en": "Wikidata"},
    "col_event_type": {"ar": "نوع الحدث", "en": "Event type"},
    "col_date_start": {"ar": "من", "en": "From"},
    "col_date_end": {"ar": "إلى", "en": "To"},
    "col_evidence": {"ar": "الدليل", "en": "Evidence"},
    "col_confidence": {"ar": "الثقة", "en": "Confidence"},
    # -- hosting: shared links, exports, sign-in, data directory (issue 8) -----------------
    "notice_dataset_changed": {
        "ar": "هذا الرابط أُنشئ على مجموعة البيانات '{value}'، وقد أُعيد بناؤها منذ ذلك الحين: "
        "قد تختلف الأرقام عمّا رآه من شارك الرابط.",
        "en": "this link was made on dataset '{value}', which has been rebuilt since: the "
        "numbers may differ from what the person who shared it saw.",
    },
    "notice_control_chars": {
        "ar": "أُزيلت محارف تحكّم (مثل NUL) من المعامل '{param}'",
        "en": "removed control characters (such as NUL) from parameter '{param}'",
    },
    "share_link": {"ar": "نسخ رابط هذا العرض", "en": "Copy a link to this view"},
    "share_link_help": {
        "ar": "انسخه بزر النسخ في المربع. يفتح الرابط هذه الصفحة بعوامل التصفية والاختيار واللغة "
        "نفسها، ويحمل معرّف مجموعة البيانات (ds).",
        "en": "Copy it with the box's copy button. The link opens this page with the same "
        "filters, selection and language, and carries the dataset id (ds).",
    },
    "share_link_relative": {
        "ar": "رابط نسبي: أضف عنوان التطبيق قبله.",
        "en": "A relative link: put the app's address in front of it.",
    },
    "export_csv": {"ar": "CSV", "en": "CSV"},
    "export_parquet": {"ar": "Parquet", "en": "Parquet"},
    "export_png": {"ar": "PNG", "en": "PNG"},
    "export_csv_help": {
        "ar": "تنزيل هذا الجدول بصيغة CSV (UTF-8)",
        "en": "Download this table as CSV (UTF-8)",
    },
    "export_chart_csv_help": {
        "ar": "تنزيل بيانات هذا الرسم بصيغة CSV (UTF-8)",
        "en": "Download this chart's data as CSV (UTF-8)",
    },
    "export_parquet_help": {
        "ar": "تنزيل البيانات بصيغة Parquet",
        "en": "Download the data as Parquet",
    },
    "export_png_help": {
        "ar": "تنزيل الرسم صورةً بصيغة PNG (يستغرق بضع ثوانٍ)",
        "en": "Download the chart as a PNG image (takes a few seconds)",
    },
    "auth_required": {
        "ar": "هذه اللوحة تتطلب تسجيل الدخول.",
        "en": "This dashboard requires you to sign in.",
    },
    "auth_sign_in": {"ar": "تسجيل الدخول", "en": "Sign in"},
    "auth_sign_in_with": {"ar": "تسجيل الدخول عبر {provider}", "en": "Sign in with {provider}"},
    "auth_sign_out": {"ar": "تسجيل الخروج", "en": "Sign out"},
    "auth_signed_in_as": {"ar": "مسجَّل الدخول باسم {name}", "en": "Signed in as {name}"},
    "auth_not_configured": {
        "ar": "تسجيل الدخول مطلوب (RASD_REQUIRE_LOGIN=1) لكنه غير مُعدّ: أضف القسم [auth] إلى "
        ".streamlit/secrets.toml (انظر secrets.toml.example).",
        "en": "Sign-in is required (RASD_REQUIRE_LOGIN=1) but not configured: add an [auth] "
        "section to .streamlit/secrets.toml (see secrets.toml.example).",
    },
    "error_reason_outside_root": {
        "ar": "مجلد البيانات (أو أحد ملفاته) يقع خارج المجلد المسموح به RASD_DATA_ROOT، فرُفض فتحه.",
        "en": "The data folder (or one of its files) lies outside the allowed folder "
        "RASD_DATA_ROOT, so it was not opened.",
    },
    "error_fix_outside_root": {
        "ar": "للإصلاح، ابنِ مجموعة البيانات داخل RASD_DATA_ROOT واجعل RASD_DATA يشير إليها، "
        "ثم أعد تشغيل التطبيق:",
        "en": "To fix it, build the dataset inside RASD_DATA_ROOT and point RASD_DATA at it, "
        "then restart the app:",
    },
    "autobuild_running": {
        "ar": "لا توجد مجموعة بيانات بعد: جارٍ بناء المدوّنة المرفقة ({seconds} ث)…",
        "en": "No dataset yet: building the bundled corpus ({seconds} s)…",
    },
    "autobuild_done": {"ar": "اكتمل بناء مجموعة البيانات.", "en": "The dataset is built."},
    "autobuild_failed": {
        "ar": "تعذّر بناء مجموعة البيانات تلقائيًا.",
        "en": "The dataset could not be built automatically.",
    },
}


def normalize_lang(lang: str | None) -> str:
    """``lang`` when it is a UI language, else the default (Arabic)."""
    return lang if lang in LANGS else DEFAULT_LANG


#: Whole numbers from this size up are shown with thousands separators ("53,766"); smaller
#: ones, years among them, as they are.
GROUP_FROM = 10_000


def fill(text: str, fmt: dict[str, Any]) -> str:
    """``text`` with its ``{placeholders}`` filled from ``fmt``; large whole numbers
    grouped by thousands (Western digits, as the rest of the UI writes them)."""
    if not fmt:
        return text
    shown = {
        k: f"{int(v):,}"
        if isinstance(v, Integral) and not isinstance(v, bool) and abs(int(v)) >= GROUP_FROM
        else v
        for k, v in fmt.items()
    }
    return text.format(**shown)


def t(key: str, lang: str, **fmt: Any) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``
    (see :func:`fill`).

    Raises:
        KeyError: ``key`` is not a message id (a programming error; tests catch it).
    """
    return fill(MESSAGES[key][normalize_lang(lang)], fmt)


def has_message(key: str) -> bool:
    """True when ``key`` is a message id."""
    return key in MESSAGES


def month_name(month: int, lang: str) -> str:
    """Name of ``month`` (1–12) in ``lang``."""
    return MONTHS[normalize_lang(lang)][month - 1]


def format_date(value: date | datetime | None, precision: str | None, lang: str) -> str:
    """A publication date shown at its precision, never more precise than it is.

    ``day`` (and ``minute``) → "19 يونيو 2024" / "19 June 2024"; ``month`` → "يونيو 2024";
    ``year`` → "2024"; missing value or ``unknown`` precision → "تاريخ غير معروف" /
    "date unknown".
    """
    if value is None or precision in (None, "unknown"):
        return t("date_unknown", lang)
    try:
        year, month, day = value.year, value.month, value.day
    except AttributeError:
        return t("date_unknown", lang)
    if precision == "year":
        return f"{year}"
    if precision == "month":
        return f"{month_name(month, lang)} {year}"
    return f"{day} {month_name(month, lang)} {year}"


def label_for(prefix: str, value: str | None, lang: str) -> str:
    """Translated label of a data value (``basis_explicit``, ``kind_near``, …).

    Values without a message (a new basis written by a newer build) are shown as stored.
    """
    if value is None:
        return t("none_value", lang)
    key = f"{prefix}_{value}"
    return t(key, lang) if key in MESSAGES else str(value)
