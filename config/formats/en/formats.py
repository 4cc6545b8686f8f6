"""English as the site writes it: British spelling, so British dates and a 24-hour clock
("21 November 2026, 04:19"), not Django's American defaults ("Nov. 21, 2026, 4:19 a.m.").

Only what pages show is set here; Django's own English module still gives everything
else (the formats forms accept among them), since a name missing here is looked up there.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
