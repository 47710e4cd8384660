"""What every other part stands on: the errors, Vietnamese text and numbers, A1 cells, dates, the
district form's declaration, findings and the catalogue of rules. Imports nothing else of xltools."""
