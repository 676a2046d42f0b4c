package dev.ersatz.io;

import static dev.ersatz.io.TestTables.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class CsvReadingTest {
  @TempDir Path tmp;

  private Table read(Path p) {
    return TableReader.read(p, ReadOptions.defaults()).table();
  }

  @ParameterizedTest
  @ValueSource(strings = {",", ";", "\t", "|"})
  void sniffsTheDelimiter(String d) {
    String text = csv("a" + d + "b" + d + "c", 30, i -> i + d + "x" + (i % 3) + d + (i * 0.5));
    Table t = read(TestTables.write(tmp, "d.csv", text));
    assertThat(t.schema().names()).containsExactly("a", "b", "c");
    assertThat(t.rowCount()).isEqualTo(30);
  }

  @Test
  void semicolonFileWithDecimalCommasInQuotes() {
    // European style: ';' separates, ',' inside quoted values must not confuse the sniffer
    String text = csv("name;city", 10, i -> "\"Doe, J" + i + "\";Paris");
    Table t = read(TestTables.write(tmp, "eu.csv", text));
    assertThat(t.schema().names()).containsExactly("name", "city");
    assertThat(((ColumnData.Codes) t.column("name")).get(0)).isEqualTo("Doe, J0");
  }

  @Test
  void semicolonFilesReadDecimalCommasAsNumbers() {
    // as German or French spreadsheets export: ';' between fields, ',' before the decimals
    String text = csv("amount;code;mixed", 30, i -> (i % 7) + "," + (10 + i) + ";" + i + ",5;"
        + (i == 3 ? "n/a" : i + ",25")) + "NA; ;1,5\n";
    Table t = read(TestTables.write(tmp, "eu.csv", text));
    assertThat(t.schema().column(0).type()).isEqualTo(ColumnType.Numeric.ofDecimal(2, true));
    ColumnData.Numbers amount = (ColumnData.Numbers) t.column("amount");
    assertThat(amount.get(1)).isEqualTo(1.11);
    assertThat(amount.isMissing(30)).isTrue();
    assertThat(((ColumnData.Numbers) t.column("code")).get(2)).isEqualTo(2.5);
    // a column with a word in it stays labels, spelled as written
    assertThat(t.schema().column(2).type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(((ColumnData.Codes) t.column("mixed")).get(0)).isEqualTo("0,25");
    // with ',' between fields a quoted "1,234" may group thousands: left as written
    String us = "n,x\n\"1,234\",a\n\"2,5\",b\n";
    Table t2 = read(TestTables.write(tmp, "us.csv", us));
    assertThat(t2.schema().column(0).type()).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void semicolonFilesReadGroupedAndCurrencyNumbers() {
    // a German bank statement: points group thousands, the comma is the decimal separator
    String text = csv("betrag;saldo;anteil;version", 30, i -> (i % 2 == 0 ? "-" : "")
        + (i + 1) + "." + String.format("%03d", 7 * i) + ",56;" + (1000 + i) + ",00 €;"
        + i + ",5 %;" + "1." + (i % 9 + 1) + "." + i);
    Table t = read(TestTables.write(tmp, "konto.csv", text));
    ColumnData.Numbers betrag = (ColumnData.Numbers) t.column("betrag");
    assertThat(betrag.get(0)).isEqualTo(-1000.56);
    assertThat(betrag.get(3)).isEqualTo(4021.56);
    ColumnType.Numeric saldo = (ColumnType.Numeric) t.schema().column(1).type();
    assertThat(saldo.suffix()).isEqualTo(" €");
    assertThat(((ColumnData.Numbers) t.column("saldo")).get(2)).isEqualTo(1002.0);
    assertThat(((ColumnData.Numbers) t.column("anteil")).get(3)).isEqualTo(3.5);
    // points that are not groups of three (version numbers) stay labels
    assertThat(t.schema().column(3).type()).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void decimalCommasDeclaredAsLabelsKeepTheirSpelling() {
    // a code list written 1,5 / 2,5 (say, tariff classes): declared categorical, it is labels as
    // written; declared decimal, or left to inference, it is numbers
    String text = csv("cls;amount", 20, i -> (i % 3 + 1) + ",5;" + i + ",25");
    Path f = TestTables.write(tmp, "eu.csv", text);
    Path m = TestTables.write(tmp, "eu.json", "{\"format\":\"ersatz-metadata\",\"version\":1,"
        + "\"columns\":[{\"name\":\"cls\",\"type\":\"categorical\"},"
        + "{\"name\":\"amount\",\"type\":\"decimal\"}]}");
    Table t = TableReader.read(f, new ReadOptions(m, 0)).table();
    assertThat(((ColumnData.Codes) t.column("cls")).levels())
        .containsExactlyInAnyOrder("1,5", "2,5", "3,5");
    assertThat(((ColumnData.Numbers) t.column("amount")).get(2)).isEqualTo(2.25);
    Table inferred = read(f);
    assertThat(((ColumnData.Numbers) inferred.column("cls")).get(1)).isEqualTo(2.5);
  }

  @Test
  void quotedFieldsMayHoldDelimitersQuotesAndNewlines() {
    String text = "id,note,n\n1,\"a, b\",1\n2,\"two\nlines\",2\n3,\"say \"\"hi\"\"\",3\n";
    Table t = read(TestTables.write(tmp, "q.csv", text));
    ColumnData.Codes note = (ColumnData.Codes) t.column("note");
    assertThat(note.levels()).containsExactlyInAnyOrder("a, b", "two\nlines", "say \"hi\"");
    assertThat(t.rowCount()).isEqualTo(3);
  }

  @Test
  void lineNumbersCountNewlinesInsideQuotes() {
    String text = "a,b\n1,\"x\ny\"\n2,z\n3\n";
    assertThatThrownBy(() -> read(TestTables.write(tmp, "ragged.csv", text)))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("ragged.csv line 5")
        .hasMessageContaining("expected 2 fields")
        .hasMessageContaining("found 1");
  }

  @Test
  void windowsLineEnds() {
    Table t = read(TestTables.write(tmp, "crlf.csv", "a;b\r\n1;x\r\n2;\"y\r\nz\"\r\n"));
    assertThat(t.schema().names()).containsExactly("a", "b");
    assertThat(((ColumnData.Codes) t.column("b")).levels()).containsExactly("x", "y\r\nz");
  }

  @Test
  void byteOrderMarkIsSkipped() {
    Table t = read(TestTables.write(tmp, "bom.csv", "\uFEFFa,b\n1,2\n"));
    assertThat(t.schema().names()).containsExactly("a", "b");
  }

  @Test
  void gzipByExtensionOrMagicBytes() {
    String text = csv("a,b", 5, i -> i + ",v" + i);
    assertThat(read(TestTables.writeGz(tmp, "x.csv.gz", text)).rowCount()).isEqualTo(5);
    assertThat(read(TestTables.writeGz(tmp, "sneaky.csv", text)).rowCount()).isEqualTo(5);
  }

  @Test
  void tsvAndTxt() {
    String text = csv("a\tb", 5, i -> i + "\t" + "v, " + i);
    Table tsv = read(TestTables.write(tmp, "x.tsv", text));
    assertThat(tsv.schema().names()).containsExactly("a", "b");
    Table txt = read(TestTables.write(tmp, "x.txt", text));
    assertThat(txt.schema().names()).containsExactly("a", "b");
  }

  @Test
  void maxRowsLimitsTheRead() {
    String text = csv("a,b", 100, i -> i + "," + i);
    ReadResult r = TableReader.read(TestTables.write(tmp, "m.csv", text), new ReadOptions(null, 7));
    assertThat(r.table().rowCount()).isEqualTo(7);
    assertThat(r.source().rows()).isEqualTo(7);
  }

  @Test
  void blankLinesAreSkipped() {
    Table t = read(TestTables.write(tmp, "blank.csv", "a,b\n1,2\n\n3,4\n\n"));
    assertThat(t.rowCount()).isEqualTo(2);
  }

  @Test
  void sourceInfoHashesBytesAndSchema() {
    Path p = TestTables.write(tmp, "s.csv", "a,b\n1,x\n2,y\n");
    ReadResult r = TableReader.read(p, ReadOptions.defaults());
    assertThat(r.source().name()).isEqualTo("s.csv");
    assertThat(r.source().sha256()).isEqualTo(Fingerprints.sha256(p));
    assertThat(r.source().schemaSha256())
        .isEqualTo(Fingerprints.schemaSha256(r.table().schema())).hasSize(64);
    assertThat(r.source().rows()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void missingFile() {
    assertThatThrownBy(() -> read(tmp.resolve("nope.csv")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("nope.csv").hasMessageContaining("not found");
  }

  @Test
  void emptyFile() {
    assertThatThrownBy(() -> read(TestTables.write(tmp, "empty.csv", "")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("empty.csv is empty").hasMessageContaining("header row");
    assertThatThrownBy(() -> read(TestTables.write(tmp, "blank.csv", "\n\n  \n")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("blank.csv is empty");
  }

  @Test
  void headerOnly() {
    assertThatThrownBy(() -> read(TestTables.write(tmp, "h.csv", "a,b,c\n")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("h.csv has a header but no data rows");
  }

  @Test
  void raggedRow() {
    String text = "a,b,c\n1,2,3\n4,5,6\n7,8\n";
    assertThatThrownBy(() -> read(TestTables.write(tmp, "r.csv", text)))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("r.csv line 4")
        .hasMessageContaining("expected 3 fields")
        .hasMessageContaining("found 2")
        .hasMessageContaining("quoted");
    String extra = "a,b\n1,2\n3,4,5\n";
    assertThatThrownBy(() -> read(TestTables.write(tmp, "r2.csv", extra)))
        .hasMessageContaining("r2.csv line 3").hasMessageContaining("found 3");
  }

  @Test
  void duplicateHeader() {
    assertThatThrownBy(() -> read(TestTables.write(tmp, "dup.csv", "a,b,a\n1,2,3\n")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("dup.csv line 1")
        .hasMessageContaining("'a' appears twice (columns 1 and 3)");
  }

  @Test
  void emptyHeader() {
    assertThatThrownBy(() -> read(TestTables.write(tmp, "eh.csv", "a,,c\n1,2,3\n")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("eh.csv line 1, column 2")
        .hasMessageContaining("empty");
  }

  @Test
  void notUtf8NamesLineAndSuggestsResaving() {
    byte[] head = "name,n\nabc,1\nxyz,2\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bad = {'M', (byte) 0xfc, 'l', 'l', 'e', 'r', ',', '3', '\n'}; // latin-1 u-umlaut
    byte[] all = new byte[head.length + bad.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    assertThatThrownBy(() -> read(TestTables.writeBytes(tmp, "latin.csv", all)))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("latin.csv is not valid UTF-8")
        .hasMessageContaining("line 4, byte 2")
        .hasMessageContaining("re-save the file as UTF-8");
  }

  @Test
  void notUtf8FarIntoALargeFile() {
    StringBuilder sb = new StringBuilder("a,b\n");
    for (int i = 0; i < 100_000; i++) {
      sb.append(i).append(",x\n");
    }
    byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = java.util.Arrays.copyOf(head, head.length + 4);
    all[head.length] = '1';
    all[head.length + 1] = ',';
    all[head.length + 2] = (byte) 0xe9;
    all[head.length + 3] = '\n';
    assertThatThrownBy(() -> read(TestTables.writeBytes(tmp, "big.csv", all)))
        .hasMessageContaining("line 100002, byte 3");
  }

  @Test
  void unclosedQuote() {
    String text = "a,b\n1,\"open\n2,3\n";
    assertThatThrownBy(() -> read(TestTables.write(tmp, "u.csv", text)))
        .isInstanceOf(UserInputException.class).hasMessageContaining("u.csv");
  }

  @Test
  void headerNamesAreKeptExactly() {
    Table t = read(TestTables.write(tmp, "names.csv", "\"a, b\",Ünïcode\n1,2\n"));
    assertThat(t.schema().names()).containsExactly("a, b", "Ünïcode");
    assertThat(t.schema().column(1).type()).isEqualTo(ColumnType.Numeric.ofInteger());
  }
}
