-- The reviewed list of sponsor names that no spelling rule can join to their organization's name,
-- each with the evidence for it. Precision first: an entry names one organization under another
-- spelling, never a parent, successor or buyer (Wyeth stays Wyeth, Glaxo Wellcome stays Glaxo Wellcome,
-- Novartis Vaccines, sold to GSK, stays apart from Novartis).
select * from (values
    ('Merck Sharp & Dohme Corp.', 'Merck Sharp & Dohme LLC',
     'Same company: Merck Sharp & Dohme Corp. converted to Merck Sharp & Dohme LLC in 2022 (Merck & Co. Form 10-K 2022); '
     'the registry holds both spellings.'),
    ('Janssen R&D, L.L.C.', 'Janssen Research & Development, LLC',
     'Same company: R&D abbreviates Research & Development, L.L.C. is LLC.'),
    ('Novartis Pharmaceuticals', 'Novartis',
     'Same organization: Novartis registers its trials under both names (Novartis Pharmaceuticals Corporation, '
     'its US company, is named on most of them).'),
    ('Pfizer''s Upjohn has merged with Mylan to form Viatris Inc.', 'Viatris Inc.',
     'The registry''s name says it: Upjohn, Pfizer''s former off-patent unit, is part of Viatris Inc. since '
     '16 November 2020 (Pfizer press release); Viatris is not Pfizer.')
) as aliases(name, canonical_name, source)
