package dev.ersatz.provenance;

import dev.ersatz.core.ErsatzException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * An Ed25519 key pair that signs manifests. The private key never appears in {@link #toString()},
 * logs or exception messages; only the public {@link #keyId()} does.
 */
public final class SigningKey {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    this.keyId = Keys.keyId(publicKey);
  }

  /** Wraps a JDK Ed25519 key pair. */
  public static SigningKey of(PrivateKey privateKey, PublicKey publicKey) {
    return new SigningKey(privateKey, publicKey);
  }

  /** The public half, to give to verifiers. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The first 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
  public String keyId() {
    return keyId;
  }

  /** Ed25519 signature of {@code message}. */
  byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      // The exception text names the algorithm, never the key material.
      throw new ErsatzException("cannot sign with Ed25519 key " + keyId + ": "
          + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "SigningKey[Ed25519, keyId=" + keyId + "]";
  }
}
