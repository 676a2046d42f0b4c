package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {
  @TempDir Path tmp;

  @Test
  void sha256OfKnownBytes() {
    // FIPS 180-2 test vector for "abc"
    assertThat(Fingerprints.sha256(TestTables.write(tmp, "abc.txt", "abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThatThrownBy(() -> Fingerprints.sha256(tmp.resolve("missing")))
        .isInstanceOf(UserInputException.class);
  }

  @Test
  void schemaHashDependsOnTypesAndFormats() {
    Schema a = Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(2, false))));
    Schema b = Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(2, true))));
    assertThat(Fingerprints.schemaSha256(a)).isNotEqualTo(Fingerprints.schemaSha256(b))
        .matches("[0-9a-f]{64}");
    assertThat(Fingerprints.schemaSha256(a))
        .isEqualTo(Fingerprints.schemaSha256(
            Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(2, false))))));
  }
}
