"""Item pipelines: where a fetched page is cleaned, de-duplicated, validated and written."""
