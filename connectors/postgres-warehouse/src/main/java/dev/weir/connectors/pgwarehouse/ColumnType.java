package dev.weir.connectors.pgwarehouse;

import java.math.BigInteger;

/** The PostgreSQL column types the warehouse creates, and which JSON-like values each accepts. */
enum ColumnType {
  TEXT("text"),
  BIGINT("bigint"),
  DOUBLE("double precision"),
  BOOLEAN("boolean"),
  JSONB("jsonb"),
  TIMESTAMPTZ("timestamp with time zone");

  final String sql;

  ColumnType(String sql) {
    this.sql = sql;
  }

  /** The type a new column gets for this value. */
  static ColumnType infer(Object v) {
    if (v instanceof Boolean) {
      return BOOLEAN;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return BIGINT;
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? BIGINT : DOUBLE;
    }
    if (v instanceof Number) {
      return DOUBLE;
    }
    if (v instanceof String) {
      return TEXT;
    }
    return JSONB;
  }

  /** Whether a column of this type stores {@code v} without changing its meaning. */
  boolean accepts(Object v) {
    return switch (this) {
      case TEXT -> v instanceof String;
      case BIGINT -> infer(v) == BIGINT;
      case DOUBLE -> v instanceof Number;
      case BOOLEAN -> v instanceof Boolean;
      case JSONB -> true;
      case TIMESTAMPTZ -> v instanceof Long || v instanceof Integer;
    };
  }

  /** Reads a type from information_schema's {@code data_type}; null when it is none of ours. */
  static ColumnType fromInformationSchema(String dataType) {
    for (ColumnType t : values()) {
      if (t.sql.equals(dataType)) {
        return t;
      }
    }
    return switch (dataType) {
      case "integer", "smallint", "numeric" -> BIGINT;
      case "real" -> DOUBLE;
      case "json" -> JSONB;
      case "character varying" -> TEXT;
      default -> null;
    };
  }
}
