-- Each trial's therapeutic areas: the registry's own MeSH browse branches of its conditions (e.g. BC04
-- Neoplasms, BC14 Heart and Blood Diseases), one row per trial and area. A trial may have several areas,
-- or none: legacy XML and mirror pages carry no branches and no MeSH tree ships with a clear licence as a
-- package, so their trials get no area rather than a guessed one. The catch-alls are left out: `All`
-- (every trial) and `Rare` (Rare Diseases, from a list of rare conditions, not a branch of the MeSH tree).
select distinct nct_id, abbrev as area_code, name as area
from browse_branches
where browse_type = 'condition' and abbrev not in ('All', 'Rare')
