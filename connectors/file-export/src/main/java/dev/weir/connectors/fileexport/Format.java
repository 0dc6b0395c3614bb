package dev.weir.connectors.fileexport;

/** The file formats a chunk can be exported in, with their file name extensions. */
enum Format {
  NDJSON_GZ(".ndjson.gz"),
  CSV(".csv"),
  PARQUET(".parquet");

  final String extension;

  Format(String extension) {
    this.extension = extension;
  }

  static Format of(String setting) {
    return switch (setting) {
      case "ndjson_gz" -> NDJSON_GZ;
      case "csv" -> CSV;
      case "parquet" -> PARQUET;
      default ->
          throw new IllegalArgumentException(
              "format must be ndjson_gz, csv or parquet, got '" + setting + "'");
    };
  }
}
