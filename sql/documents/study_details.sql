-- One row per record: what the trial says once (ids, dates and their types, oversight, expanded access,
-- IPD sharing, design and eligibility details); the `trials` model adds these columns to its own.
-- A month-only registry date (`2021-03`) is its first day.
--
-- sql/documents/: how every table made from the stored source documents is written (the contract).
-- * One file per table, named after it; each is ONE SELECT over the relation `documents`
--   (record_id VARCHAR, nct_id VARCHAR, doc JSON), one row per stored record, `doc` the study in the
--   API v2 shape (protocolSection / resultsSection / derivedSection / documentSection / annotationSection);
--   legacy XML and mirror pages are converted to that shape by etl/legacy_to_v2.py first, so one
--   SELECT serves every source.
-- * It returns record_id and nct_id first, then the table's columns, snake_case, named as AACT names
--   them where it holds the same thing (docs/aact-mapping.md lists where we differ). The columns and
--   types it returns over no documents are the table's Parquet schema (etl/document_sql.py), so cast
--   where the JSON leaves a type open.
-- * It runs at parse time on each batch (etl/batch.py, an in-memory DuckDB on one core, Arrow in and out)
--   and again on the stored documents in `trials reparse`; the build reads its rows as `raw.<table>`.
--   Read each list once: `unnest(from_json(json_extract(doc, '$.path'), '<structure>'))`; every
--   json_extract parses the document again, so ask one with a list of paths where a table needs several.
-- * A row's position in its list, where the registry's order is all that identifies it, is kept
--   (generate_subscripts), e.g. sites' site_id.
with study as (
    select record_id, nct_id, json_transform(doc, '{
        "protocolSection": {
            "identificationModule": {"orgStudyIdInfo": {"id": "VARCHAR", "type": "VARCHAR", "link": "VARCHAR"},
                                     "organization": {"fullName": "VARCHAR", "class": "VARCHAR"},
                                     "nctIdAliases": ["VARCHAR"]},
            "statusModule": {"statusVerifiedDate": "VARCHAR", "lastKnownStatus": "VARCHAR",
                             "startDateStruct": {"type": "VARCHAR"}, "primaryCompletionDateStruct": {"type": "VARCHAR"},
                             "completionDateStruct": {"type": "VARCHAR"},
                             "studyFirstSubmitDate": "VARCHAR", "studyFirstSubmitQcDate": "VARCHAR",
                             "studyFirstPostDateStruct": {"type": "VARCHAR"},
                             "resultsFirstSubmitDate": "VARCHAR", "resultsFirstSubmitQcDate": "VARCHAR",
                             "resultsFirstPostDateStruct": {"date": "VARCHAR", "type": "VARCHAR"},
                             "dispFirstSubmitDate": "VARCHAR", "dispFirstSubmitQcDate": "VARCHAR",
                             "dispFirstPostDateStruct": {"date": "VARCHAR", "type": "VARCHAR"},
                             "lastUpdateSubmitDate": "VARCHAR", "lastUpdatePostDateStruct": {"type": "VARCHAR"},
                             "expandedAccessInfo": {"hasExpandedAccess": "BOOLEAN", "nctId": "VARCHAR", "statusForNctId": "VARCHAR"}},
            "oversightModule": {"oversightHasDmc": "BOOLEAN", "isFdaRegulatedDrug": "BOOLEAN", "isFdaRegulatedDevice": "BOOLEAN",
                                "isUnapprovedDevice": "BOOLEAN", "isPpsd": "BOOLEAN", "isUsExport": "BOOLEAN",
                                "fdaaa801Violation": "BOOLEAN"},
            "designModule": {"patientRegistry": "BOOLEAN", "targetDuration": "VARCHAR",
                             "expandedAccessTypes": {"individual": "BOOLEAN", "intermediate": "BOOLEAN", "treatment": "BOOLEAN"},
                             "designInfo": {"observationalModel": "VARCHAR", "timePerspective": "VARCHAR",
                                            "interventionModelDescription": "VARCHAR",
                                            "maskingInfo": {"maskingDescription": "VARCHAR", "whoMasked": ["VARCHAR"]}},
                             "bioSpec": {"retention": "VARCHAR", "description": "VARCHAR"}},
            "eligibilityModule": {"minimumAge": "VARCHAR", "maximumAge": "VARCHAR", "stdAges": ["VARCHAR"],
                                  "studyPopulation": "VARCHAR", "samplingMethod": "VARCHAR",
                                  "genderBased": "BOOLEAN", "genderDescription": "VARCHAR"},
            "ipdSharingStatementModule": {"ipdSharing": "VARCHAR", "description": "VARCHAR", "timeFrame": "VARCHAR",
                                          "accessCriteria": "VARCHAR", "url": "VARCHAR"}
        },
        "resultsSection": {"moreInfoModule": {"limitationsAndCaveats": {"description": "VARCHAR"}}},
        "derivedSection": {"miscInfoModule": {"removedCountries": ["VARCHAR"]}},
        "annotationSection": {"annotationModule": {"unpostedAnnotation": {"unpostedResponsibleParty": "VARCHAR"}}}
    }') as s
    from documents
)
select
    record_id, nct_id,
    s.protocolSection.identificationModule.orgStudyIdInfo.id as org_study_id,
    s.protocolSection.identificationModule.orgStudyIdInfo.type as org_study_id_type,
    s.protocolSection.identificationModule.orgStudyIdInfo.link as org_study_id_link,
    s.protocolSection.identificationModule.organization.fullName as organization,
    s.protocolSection.identificationModule.organization.class as organization_class,
    s.protocolSection.identificationModule.nctIdAliases as nct_id_aliases,
    status.startDateStruct.type as start_date_type,
    status.primaryCompletionDateStruct.type as primary_completion_date_type,
    status.completionDateStruct.type as completion_date_type,
    try_cast(status.studyFirstSubmitDate as date) as study_first_submitted,
    try_cast(status.studyFirstSubmitQcDate as date) as study_first_submitted_qc,
    status.studyFirstPostDateStruct.type as first_posted_type,
    try_cast(status.resultsFirstSubmitDate as date) as results_first_submitted,
    try_cast(status.resultsFirstSubmitQcDate as date) as results_first_submitted_qc,
    try_cast(status.resultsFirstPostDateStruct.date as date) as results_first_posted,
    status.resultsFirstPostDateStruct.type as results_first_posted_type,
    try_cast(status.dispFirstSubmitDate as date) as disposition_first_submitted,
    try_cast(status.dispFirstSubmitQcDate as date) as disposition_first_submitted_qc,
    try_cast(status.dispFirstPostDateStruct.date as date) as disposition_first_posted,
    status.dispFirstPostDateStruct.type as disposition_first_posted_type,
    try_cast(status.lastUpdateSubmitDate as date) as last_update_submitted,
    status.lastUpdatePostDateStruct.type as last_update_posted_type,
    try_cast(case when length(status.statusVerifiedDate) = 7 then status.statusVerifiedDate || '-01'
                  else status.statusVerifiedDate end as date) as status_verified_date,
    status.lastKnownStatus as last_known_status,
    s.resultsSection.moreInfoModule.limitationsAndCaveats.description as limitations_and_caveats,
    s.protocolSection.oversightModule.oversightHasDmc as has_dmc,
    s.protocolSection.oversightModule.isFdaRegulatedDrug as is_fda_regulated_drug,
    s.protocolSection.oversightModule.isFdaRegulatedDevice as is_fda_regulated_device,
    s.protocolSection.oversightModule.isUnapprovedDevice as is_unapproved_device,
    s.protocolSection.oversightModule.isPpsd as is_ppsd,
    s.protocolSection.oversightModule.isUsExport as is_us_export,
    s.protocolSection.oversightModule.fdaaa801Violation as fdaaa801_violation,
    status.expandedAccessInfo.hasExpandedAccess as has_expanded_access,
    status.expandedAccessInfo.nctId as expanded_access_nct_id,
    status.expandedAccessInfo.statusForNctId as expanded_access_status_for_nct_id,
    design.expandedAccessTypes.individual as expanded_access_type_individual,
    design.expandedAccessTypes.intermediate as expanded_access_type_intermediate,
    design.expandedAccessTypes.treatment as expanded_access_type_treatment,
    design.patientRegistry as patient_registry,
    design.targetDuration as target_duration,
    design.bioSpec.retention as biospec_retention,
    design.bioSpec.description as biospec_description,
    design.designInfo.observationalModel as observational_model,
    design.designInfo.timePerspective as time_perspective,
    design.designInfo.interventionModelDescription as intervention_model_description,
    design.designInfo.maskingInfo.maskingDescription as masking_description,
    design.designInfo.maskingInfo.whoMasked as who_masked,
    eligibility.minimumAge as minimum_age,
    eligibility.maximumAge as maximum_age,
    eligibility.stdAges as std_ages,
    eligibility.studyPopulation as population,
    eligibility.samplingMethod as sampling_method,
    eligibility.genderBased as gender_based,
    eligibility.genderDescription as gender_description,
    ipd.ipdSharing as plan_to_share_ipd,
    ipd.description as plan_to_share_ipd_description,
    ipd.timeFrame as ipd_time_frame,
    ipd.accessCriteria as ipd_access_criteria,
    ipd.url as ipd_url,
    s.derivedSection.miscInfoModule.removedCountries as removed_countries,
    s.annotationSection.annotationModule.unpostedAnnotation.unpostedResponsibleParty as unposted_responsible_party
from (
    select record_id, nct_id, s, s.protocolSection.statusModule as status, s.protocolSection.designModule as design,
           s.protocolSection.eligibilityModule as eligibility, s.protocolSection.ipdSharingStatementModule as ipd
    from study
)
