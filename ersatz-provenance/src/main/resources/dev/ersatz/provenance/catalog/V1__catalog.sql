-- The Ersatz lineage catalog. Portable SQL: the same migration runs on H2 and PostgreSQL.
CREATE TABLE ersatz_dataset (
  id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  name          VARCHAR(1000) NOT NULL,
  path          VARCHAR(4000),
  sha256        VARCHAR(64)  NOT NULL,
  schema_sha256 VARCHAR(64)  NOT NULL,
  synthetic     BOOLEAN      NOT NULL,
  generator     VARCHAR(200) NOT NULL,
  row_count     BIGINT       NOT NULL,
  seed          BIGINT,
  epsilon       DOUBLE PRECISION,
  created_at    VARCHAR(40)  NOT NULL,
  manifest_json VARCHAR
);
CREATE INDEX ersatz_dataset_sha ON ersatz_dataset (sha256);

CREATE TABLE ersatz_model (
  id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  name       VARCHAR(1000) NOT NULL,
  path       VARCHAR(4000),
  sha256     VARCHAR(64)  NOT NULL,
  generator  VARCHAR(200) NOT NULL,
  fit_seed   BIGINT,
  created_at VARCHAR(40)  NOT NULL
);
CREATE INDEX ersatz_model_sha ON ersatz_model (sha256);

-- child was made from parent: a synthetic dataset 'sampledFrom' a model, a model 'trainedOn' a dataset.
CREATE TABLE ersatz_edge (
  child_id  VARCHAR(64) NOT NULL,
  parent_id VARCHAR(64) NOT NULL,
  relation  VARCHAR(32) NOT NULL,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX ersatz_edge_parent ON ersatz_edge (parent_id);
