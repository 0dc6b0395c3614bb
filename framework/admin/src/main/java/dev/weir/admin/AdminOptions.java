package dev.weir.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the admin server listens and whom it lets in. Immutable; build with {@link #builder()}.
 * Tokens are the resolved values of the workspace's admin token references: never logged, never
 * served.
 */
public final class AdminOptions {
  private final String host;
  private final int port;
  private final Path keystore;
  private final String keystorePassword;
  private final List<String> tokens;
  private final boolean publicMetrics;

  private AdminOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.keystore = b.keystore;
    this.keystorePassword = b.keystorePassword;
    this.tokens = List.copyOf(b.tokens);
    this.publicMetrics = b.publicMetrics;
    if (tokens.isEmpty() || tokens.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new IllegalArgumentException("at least one non-blank admin token is required");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  /** The port; 0 picks a free one (see {@link AdminServer#port()}). */
  public int port() {
    return port;
  }

  /** A PKCS12/JKS keystore for HTTPS, or null for plain HTTP. */
  public Path keystore() {
    return keystore;
  }

  public String keystorePassword() {
    return keystorePassword;
  }

  public List<String> tokens() {
    return tokens;
  }

  /** Whether {@code /metrics} answers without a token (default false). */
  public boolean publicMetrics() {
    return publicMetrics;
  }

  @Override
  public String toString() {
    return "AdminOptions{host="
        + host
        + ", port="
        + port
        + ", tls="
        + (keystore != null)
        + ", tokens="
        + tokens.size()
        + ", public_metrics="
        + publicMetrics
        + "}";
  }

  /** Builder for {@link AdminOptions}; not thread-safe. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 9090;
    private Path keystore;
    private String keystorePassword = "";
    private List<String> tokens = List.of();
    private boolean publicMetrics;

    public Builder host(String value) {
      this.host = Objects.requireNonNull(value);
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder keystore(Path file, String password) {
      this.keystore = file;
      this.keystorePassword = password == null ? "" : password;
      return this;
    }

    public Builder tokens(List<String> values) {
      this.tokens = List.copyOf(values);
      return this;
    }

    /** Serve {@code /metrics} without a token (for a scraper that cannot send one). */
    public Builder publicMetrics(boolean value) {
      this.publicMetrics = value;
      return this;
    }

    public AdminOptions build() {
      return new AdminOptions(this);
    }
  }
}
