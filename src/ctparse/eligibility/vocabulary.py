"""The words of eligibility constraints, in one place: measures and their synonyms, scales,
comparators, units, number words and the phrases that make a threshold conditional.

Phrases are regular-expression fragments matched case-insensitively at word boundaries, except
in the ``*_EXACT`` tables (abbreviations that are ordinary words in other cases, such as ``WHO``
or ``PS``).  A space in a phrase matches any run of spaces or hyphens.  ``constraints.py`` builds
its lexer from these tables; the grammar (``grammars/constraints.lark``) sees only the token
kinds named in ``TOKEN_KINDS``, and a test checks that the two agree.

Over 400 lines: it is data only, every table the extraction reads.
"""

from __future__ import annotations

from ctparse.model.constraints import LifeExpectancyUnit, Measure, Op, Scale

__all__ = [
    "BAD_UNITS",
    "BETWEEN_WORDS",
    "BLOCKED",
    "CHANGE_AFTER",
    "CHANGE_WORDS",
    "CONDITIONS",
    "CUE_WORDS",
    "FILLERS",
    "FROM_WORDS",
    "LIFE",
    "LIFE_UNITS",
    "MEASURES",
    "MEASURES_EXACT",
    "MEASURE_GROUPS",
    "NUMBER_WORDS",
    "OPERATORS",
    "PERFORMANCE",
    "PERFORMANCE_EXACT",
    "POSTFIX_OPERATORS",
    "QUALIFIERS",
    "SCALES",
    "SCALES_EXACT",
    "SCALE_BOUNDS",
    "TOKEN_KINDS",
    "TO_WORDS",
    "UNITS",
]

# Token kinds the lexer gives the grammar (``%declare``d there).
TOKEN_KINDS = (
    "MEASURE",
    "SCALE",
    "PS",
    "LIFE",
    "OP",
    "POSTOP",
    "NUMBER",
    "UNIT",
    "BADUNIT",
    "AND",
    "OR",
    "COMMA",
    "SLASH",
    "TO",
    "BETWEEN",
    "FROM",
    "FILLER",
    "LPAR",
    "RPAR",
)

MEASURES: dict[Measure, tuple[str, ...]] = {
    Measure.ANC: (
        r"absolute neutrophil counts?",
        r"absolute neutrophils?",
        r"neutrophil counts?",
        r"neutrophils?",
        r"ANC",
    ),
    Measure.WBC: (
        r"white blood cells? counts?",
        r"white blood cells?",
        r"white cell counts?",
        r"leu[ck]ocyte counts?",
        r"leu[ck]ocytes",
        r"WBCs?(?: counts?)?",
    ),
    Measure.PLATELETS: (
        r"platelet counts?",
        r"platelets?",
        r"thrombocyte counts?",
        r"thrombocytes",
        r"PLT",
    ),
    Measure.HBA1C: (
        r"glyc(?:osyl)?ated ha?emoglobin(?: A1c)?",
        r"ha?emoglobin A1c",
        r"glycoha?emoglobin",
        r"H(?:b|gb|GB|B) ?A1c",
        r"A1c",
    ),
    Measure.HEMOGLOBIN: (r"ha?emoglobin", r"Hgb", r"Hb"),
    Measure.CREATININE_CLEARANCE: (
        r"(?:calculated |measured |estimated |serum )?creatinine clearance(?: rate)?",
        r"CrCl",
        r"CLcr",
        r"Ccr",
    ),
    Measure.CREATININE: (r"(?:serum |blood |plasma )?creatinine", r"serum creatine", r"SCr"),
    Measure.EGFR: (
        r"(?:estimated )?glomerular filtration rate",
        r"estimated GFR",
        r"eGFR",
        r"GFR",
    ),
    Measure.TOTAL_BILIRUBIN: (
        r"(?:serum )?total (?:serum )?bilirubin",
        r"(?:serum |blood )?bilirubin",
        r"T ?BIL",
    ),
    Measure.AST: (
        r"(?:serum )?aspartate (?:amino)?transferase",
        r"aspartate transaminase",
        r"serum glutamic oxaloacetic transaminase",
        r"SGOT",
        r"AST",
    ),
    Measure.ALT: (
        r"(?:serum )?alanine (?:amino)?transferase",
        r"alanine transaminase",
        r"serum glutamate pyruvate transaminase",
        r"serum glutamic pyruvic transaminase",
        r"SGPT",
        r"ALT",
    ),
    Measure.ALP: (r"(?:serum )?alkaline phosphatase", r"ALP"),
    Measure.ALBUMIN: (r"(?:serum )?albumin",),
    Measure.INR: (
        r"(?:PT )?INR",
        r"international (?:normali[sz]ed|standardi[sz]ed) ratio(?: of time)?",
    ),
    Measure.APTT: (
        r"(?:activated )?partial (?:thromboplastin|prothrombin) time",
        r"a?PTT",
    ),
    Measure.FASTING_GLUCOSE: (
        r"fasting (?:blood |plasma |serum )?(?:glucose|sugar)",
        r"FBG",
        r"FPG",
        r"FBS",
    ),
    Measure.BMI: (r"body mass index", r"BMI"),
    Measure.LVEF: (
        r"(?:left ventricular |LV )?ejection fraction",
        r"LVEF",
    ),
    Measure.QTC: (
        r"(?:mean )?(?:resting )?corrected QT(?: interval)?",
        r"QT interval corrected",
        r"QTc[FB]?(?: interval)?",
    ),
    Measure.SBP: (r"systolic (?:blood )?pressure", r"systolic BP", r"SBP", r"systolic"),
    Measure.DBP: (r"diastolic (?:blood )?pressure", r"diastolic BP", r"DBP", r"diastolic"),
    Measure.TSH: (r"thyroid stimulating hormone", r"thyrotropin", r"TSH"),
    Measure.CD4: (r"CD4\+?(?: (?:T )?(?:cells?|lymphocytes?|T cells?))?(?: counts?)?",),
    Measure.PSA: (r"prostate specific antigen", r"PSA"),
    Measure.LYMPHOCYTES: (
        r"(?:absolute )?lymphocyte counts?",
        r"lymphocytes",
        r"ALC",
    ),
}

# One name for several measures: "transaminases" are AST and ALT.
MEASURE_GROUPS: dict[str, tuple[tuple[Measure, ...], tuple[str, ...]]] = {
    "TRANSAMINASES": ((Measure.AST, Measure.ALT), (r"(?:serum |liver )?transaminases",)),
}

# Abbreviations matched with their case: ``Cr`` is creatinine, ``cr`` is nothing; ``Tc``
# (Thrombozyten) is the platelet count on German-written pages; ``EF`` an ejection fraction.
MEASURES_EXACT: dict[Measure, tuple[str, ...]] = {
    Measure.CREATININE: (r"Cr",),
    Measure.PLATELETS: (r"Tc",),
    Measure.LVEF: (r"EF",),
}

# Look like a measure's name but are not one: consumed so that the measure inside is not seen.
BLOCKED = (
    r"(?:in)?direct bilirubin",
    r"(?:un)?conjugated bilirubin",
    r"EGFR (?:gene|mutations?|mutant|positive|negative|TKIs?|inhibitors?|exon)",
    r"albumin(?:uria| creatinine ratio| to creatinine ratio)",
    r"creatine (?:phospho)?kinase",
    r"hemoglobinopath(?:y|ies)",
)

SCALES: dict[Scale, tuple[str, ...]] = {
    Scale.ECOG: (
        r"ECOG ?/ ?WHO",
        r"ECOG",
        r"Eastern Co ?operative Oncology Group",
        r"Eastern Cancer Co ?operative Group",
        r"Zubrod",
    ),
    Scale.KARNOFSKY: (r"Karnofsky", r"Karnovsky", r"KPS"),
    Scale.LANSKY: (r"Lansky", r"LPS"),
}
SCALES_EXACT: dict[Scale, tuple[str, ...]] = {Scale.WHO: (r"WHO",)}

# Inclusive bounds of each scale's scores.
SCALE_BOUNDS: dict[Scale | None, tuple[int, int]] = {
    Scale.ECOG: (0, 5),
    Scale.WHO: (0, 5),
    Scale.KARNOFSKY: (0, 100),
    Scale.LANSKY: (0, 100),
    None: (0, 5),
}

PERFORMANCE = (
    r"(?:play )?performance (?:status|score|state)(?: scale)?",
    r"physical status(?: score)?",
)
PERFORMANCE_EXACT = (r"PS",)

# ``minimum`` before the words makes an unqualified value a lower bound.
LIFE = (
    r"(?:minimum (?:of )?)?(?:estimated |expected |predicted )?life expectancy",
    r"(?:estimated |expected |predicted )survival(?: time)?",
    r"survival(?= (?:is|was) expected)",
)
LIFE_UNITS: dict[LifeExpectancyUnit, str] = {
    LifeExpectancyUnit.DAYS: r"days?",
    LifeExpectancyUnit.WEEKS: r"weeks?|wks?",
    LifeExpectancyUnit.MONTHS: r"months?|mos?\.?",
    LifeExpectancyUnit.YEARS: r"years?|yrs?",
}

# The first word (lower case) of every phrase above, of MEASURES to LIFE: only texts with one
# of these words are searched for cues, and only where such a word starts.  A test checks
# that every cue the phrases find starts with one of them.
CUE_WORDS = frozenset(
    """
    absolute neutrophil neutrophils anc white leukocyte leucocyte leukocytes leucocytes wbc
    wbcs platelet platelets thrombocyte thrombocytes plt glycated glycosylated hemoglobin
    haemoglobin glycohemoglobin glycohaemoglobin hba1c hgba1c hb hgb a1c calculated measured
    estimated serum creatinine crcl clcr ccr blood plasma scr glomerular egfr gfr total
    bilirubin tbil t aspartate sgot ast alanine sgpt alt alkaline alp albumin pt inr
    international activated partial ptt aptt fasting fbg fpg fbs body bmi left lv ejection
    lvef mean resting corrected qt qtc qtcf qtcb systolic sbp diastolic dbp thyroid
    thyrotropin tsh cd4 prostate psa lymphocyte lymphocytes alc transaminases liver cr tc ef
    direct indirect conjugated unconjugated creatine hemoglobinopathy hemoglobinopathies
    ecog eastern zubrod karnofsky karnovsky kps lansky lps who play performance physical ps
    minimum expected predicted life survival
    """.split()  # noqa: SIM905 (a block of words reads better than a list)
)

# Comparators in words and symbols, longest first within each operator.
OPERATORS: dict[Op, tuple[str, ...]] = {
    Op.GE: (
        r"greater than or equal to",
        r"more than or equal to",
        r"higher than or equal to",
        r"equal to or (?:greater|more|higher) than",
        r"equal or (?:greater|more|higher) than",
        r"(?:not|no) (?:less|lower|fewer) than",
        r"at least",
        r"(?:a )?minimum(?: of)?",
        r"≥|⩾|≧|>=|=>|>/=|> ?or ?=|≥=",
    ),
    Op.LE: (
        r"less than or equal to",
        r"lower than or equal to",
        r"equal to or (?:less|lower) than",
        r"equal or (?:less|lower) than",
        r"(?:not|no) (?:more|greater|higher) than",
        r"(?:must |should |does |do )?not (?:to )?exceed(?:ing)?",
        r"up to",
        r"(?:a )?maximum(?: of)?",
        r"within",
        r"≤|⩽|≦|<=|=<|</=|< ?or ?=",
    ),
    Op.GT: (
        r"(?:greater|more|higher) than",
        r"above",
        r"exceed(?:ing|s)?",
        r"in excess of",
        r"over",
        r">",
    ),
    Op.LT: (
        r"(?:less|lower|fewer) than",
        r"below",
        r"under",
        r"<",
    ),
    Op.EQ: (r"=", r"equal to"),
}
POSTFIX_OPERATORS: dict[Op, tuple[str, ...]] = {
    Op.GE: (r"(?:or|and) (?:more|higher|greater|above|over)(?!\s*than)",),
    Op.LE: (r"(?:or|and) (?:less|lower|below|fewer)(?!\s*than)",),
}

# Units after a value, with the spelling they are written as in the output.  Tried in order.
_TIMES = r"(?:[x×X*✕⋅·] ?|times |-?folds? )"
_ULN_WORDS = (
    r"(?:(?:greater than|higher than|as high as|above|of|over) )?(?:the )?"
    r"(?:institutional |local )?(?:ULN|UNL|upper limits? of (?:the )?normal(?: range)?|"
    r"upper normal limits?|maximal normal value)"
)
UNITS: tuple[tuple[str, str | None], ...] = (
    (_TIMES + r"?" + _ULN_WORDS + r"(?: \(ULN\))?", "ULN"),
    (r"(?<=\d)N\b", "ULN"),
    (r"-?folds?(?! *(?:increase|decrease|rise|higher|lower))", "ULN"),
    (_TIMES + r"?(?:LLN|lower limits? of (?:the )?normal(?: range)?)", "LLN"),
    (r"(?:[x×X*] ?)?10 ?(?:\^ ?|e|E|\*\*)?(?:9|⁹) ?(?:cells ?)?/ ?L\b", "10^9/L"),
    (r"[x×X*] ?109 ?(?:cells ?)?/ ?L\b", "10^9/L"),
    (r"(?:[x×X*] ?)?10 ?(?:\^ ?|e|E|\*\*)?(?:3|³) ?(?:cells ?)?/ ?(?:[μµu] ?L|mm3|mm³)", None),
    (r"m[lL] ?/ ?min(?:ute)?s? ?(?:/|per) ?1[.•·,]73 ?m ?(?:2|²|\^2)", "mL/min/1.73m2"),
    (r"m[lL] ?/ ?min(?:ute)?s?\b", "mL/min"),
    (r"[kK]g ?/ ?m ?(?:2|²|\^ ?2)", "kg/m2"),
    (r"mg ?/ ?d[lL]\b", "mg/dL"),
    (r"g ?/ ?d[lL]\b", "g/dL"),
    (r"g ?/ ?L\b", "g/L"),
    (r"mmol ?/ ?mol\b", "mmol/mol"),
    (r"mmol ?/ ?[lL]\b", "mmol/L"),
    (r"[μµu]mol ?/ ?[lL]\b", "umol/L"),
    (r"cells ?/ ?(?:mm3|mm³|mm\^3)", "cells/mm3"),
    (r"cells ?/ ?(?:[μµu] ?[lL]|mcL)\b", "cells/uL"),
    (r"(?:/ ?)?(?:mm3|mm³|mm\^3|cubic mm)", "/mm3"),
    (r"/ ?(?:[μµu] ?[lL]|mcL|microlit(?:er|re))\b", "/uL"),
    (r"%|percent\b", "%"),
    (r"mm ?Hg\b", "mmHg"),
    (r"(?:ms|msec|millisec(?:ond)?s?)\b", "ms"),
    (r"[a-zA-Zμµ]{1,4} ?/ ?[a-zA-Zμµ]{1,3}\b", None),  # as written: U/L, ng/mL, mIU/L
    (r"/ ?[a-zA-Z]{1,3}\b", None),  # as written: /mL
)
for _unit, _pattern in LIFE_UNITS.items():
    UNITS += ((r"(?:" + _pattern + r")\b", _unit.value),)

# Words after a value that make it something else than a threshold of the measure.
BAD_UNITS = (
    r"(?:times|folds?) (?:baseline|the baseline|normal)\b",
    r"(?:mg|g|kg|mcg|µg|μg|mmol|mol|IU|units?|lbs?|cm|mm|h|hrs?|hours?|min|minutes?|"
    r"sec|seconds?|points?|episodes?|doses?|cycles?|times|grade|class)\b",
    r"[×x*] ?(?:baseline|normal)\b",
)

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "twice": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "twenty four": 24,
    "thirty": 30,
    "sixty": 60,
}

BETWEEN_WORDS = (r"between",)
FROM_WORDS = (r"from",)
TO_WORDS = (r"to", r"through", r"-", r"–", r"—", r"~", r"～", r"〜")

# Words that may stand between a measure and its threshold.
FILLERS = (
    r"(?:is|was) expected to be",
    r"expected to be",
    r"(?:must|should|has to|needs to) be",
    r"to be",
    r"of",
    r"is",
    r"are",
    r"was",
    r"were",
    r"be",
    r"values?",
    r"levels?",
    r"counts?",
    r"concentrations?",
    r"results?",
    r"scores?",
    r"rate",
    r"intervals?",
    r"test",
    r"time",
    r"at screening",
    r"(?:calculated |estimated )?(?:according to|by|using|with) (?:the )?"
    r"(?:Cockcroft Gault|CKD EPI|MDRD)(?: formula| equation)?",
    r"at baseline",
    r"[:：=]",
)

# Before a measure in its clause: the threshold holds only under a condition.
CONDITIONS = (
    r"if",
    r"when",
    r"unless",
    r"except",
    r"provided",
    r"under the condition",
    r"in case",
    r"in the (?:presence|absence|setting|case)",
    r"(?:for|in) (?:patients|participants|subjects|those|people|women|men|children|adults)"
    r" (?:with|who|aged|of|over|under)",
    r"note",
)
# Right after a threshold: it applies to one group only, so a later threshold of the same
# measure in the sentence is that group's alternative.
QUALIFIERS = (
    r",? ?(?:for|in) (?:men|women|males?|females?|patients|participants|subjects|those|"
    r"children|adults|adolescents)\b",
    r",? ?(?:with|without) (?:treatment|therapy|medication)\b",
    r",? ?(?:if|unless|when)\b",
    r",? ?in the (?:presence|absence)\b",
)
# Right before a measure whose value is then given "of" or "by" a number: a change, not a
# threshold ("a decrease in LVEF of ≥ 15 points").
# Right after a threshold: the number was a change ("≥0.3 mg/dL increase").
CHANGE_AFTER = (r"(?:\(.{0,30}?\) ?)?(?:increase|decrease|rise|reduction|drop|decline|change)",)
CHANGE_WORDS = (r"(?:increase|decrease|reduction|decline|drop|rise|change|fall)s? (?:in|of)",)
