"""A mapping round: a form for each forum's chair (:mod:`.make`), each returned form read (:mod:`.read`), the
returns merged into a copy of the landscape and reconciled (:mod:`.collect`), and who has replied (:mod:`.status`)."""
