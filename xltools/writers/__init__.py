"""Everything xltools writes for people: the provincial summary, checked copies and the batch report,
the form template, the provincial workbook — all atomically, all in one style (:mod:`.styles`)."""
