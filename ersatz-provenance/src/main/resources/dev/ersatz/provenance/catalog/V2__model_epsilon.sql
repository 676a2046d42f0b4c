-- The epsilon a differentially private model spent on its training data (null otherwise).
ALTER TABLE ersatz_model ADD COLUMN epsilon DOUBLE PRECISION;
