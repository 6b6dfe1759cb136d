-- Results submitted to the registry but not yet posted: each submission, its return by the quality control, its cancellation.
select record_id, nct_id, event.type as event, event.date as event_date_description, try_cast(event.date as date) as event_date
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.annotationSection.annotationModule.unpostedAnnotation.unpostedEvents'),
                                              '[{"type": "VARCHAR", "date": "VARCHAR"}]')) as event
    from documents
)
