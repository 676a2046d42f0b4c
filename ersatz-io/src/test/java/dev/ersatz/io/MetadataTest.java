package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataTest {
  @TempDir Path tmp;

  static final Schema ALL = Schema.of(List.of(
      Column.of("age", ColumnType.Numeric.ofInteger()),
      Column.of("fare", ColumnType.Numeric.ofDecimal(2, false)),
      Column.of("sex", new ColumnType.Categorical()),
      new Column("alive", new ColumnType.Bool("yes", "no"), "NA"),
      Column.of("visit", new ColumnType.Datetime("yyyy-MM-dd", true)),
      Column.of("seen", new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false)),
      Column.of("id", new ColumnType.Identifier("sequence", 1)),
      Column.of("ref", new ColumnType.Identifier("AA-9999", 1)),
      Column.of("notes", new ColumnType.Text())));

  private Path csv() {
    return TestTables.write(tmp, "data.csv", "age,fare,code,day\n"
        + "30,1.5,7,2021-03-04\n41,2.25,12,2021-03-05\n,NA,x,?\n52,3,9,2021-03-07\n");
  }

  private Path md(String json) {
    return TestTables.write(tmp, "meta.json", json);
  }

  private static String wrap(String columns) {
    return "{\"format\":\"ersatz-metadata\",\"version\":1,\"columns\":[" + columns + "]}";
  }

  @Test
  void publicDomainsAreReadAndTheTableIsReadAsBefore() {
    Path m = md(wrap("{\"name\":\"age\",\"type\":\"integer\",\"min\":0,\"max\":120},"
        + "{\"name\":\"fare\",\"type\":\"decimal\",\"min\":-0.5,\"max\":1e4},"
        + "{\"name\":\"code\",\"type\":\"categorical\",\"values\":[\"7\",\"9\",\"12\",\"x\",\"y\"]},"
        + "{\"name\":\"day\",\"type\":\"date\",\"min\":\"2000-01-01\","
        + "\"max\":\"2030-12-31T12:00:00\",\"missingToken\":\"?\"}"));
    Metadata md = Metadata.read(m);
    assertThat(md.publicDomains()).containsOnlyKeys("age", "fare", "code", "day");
    assertThat(md.publicDomains().get("age")).isEqualTo(new PublicDomain(0, 120, List.of()));
    assertThat(md.publicDomains().get("fare").max()).isEqualTo(1e4);
    assertThat(md.publicDomains().get("code").values()).containsExactly("7", "9", "12", "x", "y");
    assertThat(md.publicDomains().get("code").hasRange()).isFalse();
    assertThat(md.publicDomains().get("day").min())
        .isEqualTo(DatePattern.daysFromCivil(2000, 1, 1) * 86400.0);
    assertThat(md.publicDomains().get("day").max())
        .isEqualTo(DatePattern.daysFromCivil(2030, 12, 31) * 86400.0 + 12 * 3600);
    // the domain is metadata about the column, not about the rows: the table reads as before
    Table t = TableReader.read(csv(), new ReadOptions(m, 0)).table();
    assertThat(((ColumnData.Codes) t.column(2)).levels()).containsExactly("12", "7", "9", "x");
    assertThat(Metadata.read(md(wrap("{\"name\":\"age\",\"type\":\"integer\"}")))
        .publicDomains()).isEmpty();
    // a time of day's range is written as times, held as seconds since midnight
    PublicDomain hours = Metadata.read(md(wrap("{\"name\":\"at\",\"type\":\"datetime\","
        + "\"pattern\":\"HH:mm\",\"min\":\"08:00\",\"max\":\"17:30:15\"}")))
        .publicDomains().get("at");
    assertThat(hours).isEqualTo(new PublicDomain(8 * 3600, 17 * 3600 + 30 * 60 + 15, List.of()));
  }

  @Test
  void calendarsOfDateColumnsAreReadAndCheckedAgainstTheType() {
    Path m = md(wrap("{\"name\":\"age\",\"type\":\"integer\"},"
        + "{\"name\":\"day\",\"type\":\"date\",\"calendar\":\"Monday\"}"));
    assertThat(Metadata.read(m).calendars()).containsExactly(java.util.Map.entry("day", "monday"));
    // metadata about the column, not the rows: the table reads as before
    assertThat(TableReader.read(csv(), new ReadOptions(m, 0)).table().rowCount()).isPositive();
    assertThatThrownBy(() -> Metadata.read(md(wrap(
        "{\"name\":\"age\",\"type\":\"integer\",\"calendar\":\"month\"}"))))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("column 'age'").hasMessageContaining("for date columns");
    assertThatThrownBy(() -> Metadata.read(md(wrap(
        "{\"name\":\"day\",\"type\":\"date\",\"calendar\":\"fortnight\"}"))))
        .isInstanceOf(UserInputException.class).hasMessageContaining("'fortnight'")
        .hasMessageContaining("meta.json");
  }

  @Test
  void malformedPublicDomainsAreClearErrors() {
    String[][] cases = {
        {"{\"name\":\"age\",\"type\":\"integer\",\"min\":5,\"max\":5}", "min must be < max"},
        {"{\"name\":\"age\",\"type\":\"integer\",\"min\":9,\"max\":1}", "min is 9 and max is 1"},
        {"{\"name\":\"age\",\"type\":\"integer\",\"min\":0}", "give both min and max"},
        {"{\"name\":\"age\",\"type\":\"integer\",\"min\":\"a\",\"max\":1}", "must be a number"},
        {"{\"name\":\"code\",\"type\":\"categorical\",\"min\":0,\"max\":1}", "lists its \"values\""},
        {"{\"name\":\"age\",\"type\":\"integer\",\"values\":[\"1\"]}", "declares min and max"},
        {"{\"name\":\"code\",\"type\":\"categorical\",\"values\":[]}", "lists no value"},
        {"{\"name\":\"code\",\"type\":\"categorical\",\"values\":[\"a\",\"a\"]}", "twice"},
        {"{\"name\":\"day\",\"type\":\"date\",\"min\":\"2020-13-01\",\"max\":\"2021-01-01\"}",
            "ISO-8601"},
        {"{\"name\":\"at\",\"type\":\"datetime\",\"pattern\":\"HH:mm\",\"min\":\"2020-01-01\","
            + "\"max\":\"17:00\"}", "time such as \"08:30\""},
    };
    for (String[] c : cases) {
      Path m = md(wrap(c[0]));
      assertThatThrownBy(() -> Metadata.read(m)).as(c[0]).isInstanceOf(UserInputException.class)
          .hasMessageContaining("meta.json").hasMessageContaining(c[1]);
    }
  }

  @Test
  void writeReadRoundTrip() throws IOException {
    Path p = tmp.resolve("m.json");
    Metadata.of(ALL).write(p);
    assertThat(Metadata.read(p).schema()).isEqualTo(ALL);
    String text = Files.readString(p);
    assertThat(text).startsWith("{\n  \"format\": \"ersatz-metadata\",\n  \"version\": 1,\n");
    assertThat(text).contains("    {\"name\": \"age\", \"type\": \"integer\"},\n");
    assertThat(text).contains("{\"name\": \"alive\", \"type\": \"boolean\", \"true\": \"yes\", "
        + "\"false\": \"no\", \"missingToken\": \"NA\"}");
    assertThat(Json.parseObject(text).objects("columns")).hasSize(ALL.size());
  }

  @Test
  void schemaJsonRoundTrip() {
    Schema back = SchemaJson.fromJson(Json.parseObject(Json.write(SchemaJson.toJson(ALL))));
    assertThat(back).isEqualTo(ALL);
    assertThat(Fingerprints.schemaSha256(back)).isEqualTo(Fingerprints.schemaSha256(ALL));
  }

  @Test
  void aNumberFormatRoundTripsThroughSchemaJson() {
    Schema s = Schema.of(List.of(new Column("b",
        ColumnType.Numeric.ofDecimal(2, true).withFormat("$", "", true), "NA")));
    String text = Json.write(SchemaJson.toJson(s));
    assertThat(text).contains("\"prefix\":\"$\"").contains("\"grouping\":true")
        .doesNotContain("suffix");
    assertThat(SchemaJson.fromJson(Json.parseObject(text))).isEqualTo(s);
    assertThat(Fingerprints.schemaSha256(SchemaJson.fromJson(Json.parseObject(Json.write(
        SchemaJson.toJson(ALL)))))).isEqualTo(Fingerprints.schemaSha256(ALL));
  }

  @Test
  void partialMetadataOverridesSomeColumns() {
    Path m = md(wrap("{\"name\":\"code\",\"type\":\"categorical\"},"
        + "{\"name\":\"age\",\"type\":\"decimal\",\"scale\":1,\"fixedScale\":true}"));
    Table t = TableReader.read(csv(), new ReadOptions(m, 0)).table();
    assertThat(t.schema().column(0).type()).isEqualTo(ColumnType.Numeric.ofDecimal(1, true));
    assertThat(t.schema().column(2).type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(((ColumnData.Codes) t.column(2)).levels()).containsExactly("12", "7", "9", "x");
    assertThat(t.schema().column(1).type()).isEqualTo(ColumnType.Numeric.ofDecimal(2, false));
    assertThat(t.schema().column(1).missingToken()).isEqualTo("NA");
  }

  @Test
  void declaredDecimalWithoutScaleTakesItFromTheValues() {
    Path m = md(wrap("{\"name\":\"age\",\"type\":\"decimal\"}"));
    Table t = TableReader.read(csv(), new ReadOptions(m, 0)).table();
    assertThat(t.schema().column(0).type()).isEqualTo(ColumnType.Numeric.ofDecimal(0, false));
  }

  @Test
  void declaredDateWithAPatternOfItsOwn() {
    Path data = TestTables.write(tmp, "d.csv", "when,n\n5 Mar 2021,1\n12 Dec 2020,2\n");
    Path m = md(wrap("{\"name\":\"when\",\"type\":\"date\",\"pattern\":\"d MMM yyyy\"}"));
    Table t = TableReader.read(data, new ReadOptions(m, 0)).table();
    assertThat(t.schema().column(0).type()).isEqualTo(new ColumnType.Datetime("d MMM yyyy", true));
    assertThat(((ColumnData.Numbers) t.column(0)).get(0))
        .isEqualTo(DatePattern.daysFromCivil(2021, 3, 5) * 86400.0);
  }

  @Test
  void valuesThatDoNotFitTheDeclaredTypeNameRowAndColumn() {
    Path m = md(wrap("{\"name\":\"code\",\"type\":\"integer\"}"));
    assertThatThrownBy(() -> TableReader.read(csv(), new ReadOptions(m, 0)))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("data.csv line 4, column 'code'")
        .hasMessageContaining("'x' is not an integer");
    Path m2 = md(wrap("{\"name\":\"day\",\"type\":\"date\",\"pattern\":\"dd.MM.yyyy\"}"));
    assertThatThrownBy(() -> TableReader.read(csv(), new ReadOptions(m2, 0)))
        .hasMessageContaining("data.csv line 2, column 'day'")
        .hasMessageContaining("not a date in the pattern 'dd.MM.yyyy'");
  }

  @Test
  void booleanWithoutTokensOnUnknownValues() {
    Path data = TestTables.write(tmp, "b.csv", "b\nja\nnein\n");
    Path m = md(wrap("{\"name\":\"b\",\"type\":\"boolean\"}"));
    assertThatThrownBy(() -> TableReader.read(data, new ReadOptions(m, 0)))
        .hasMessageContaining("b.csv, column 'b'")
        .hasMessageContaining("\"true\"");
    Path m2 = md(wrap("{\"name\":\"b\",\"type\":\"boolean\",\"true\":\"ja\",\"false\":\"nein\"}"));
    Table t = TableReader.read(data, new ReadOptions(m2, 0)).table();
    assertThat(t.schema().column(0).type()).isEqualTo(new ColumnType.Bool("ja", "nein"));
  }

  @Test
  void categoricalWithADeclaredMissingToken() {
    Path data = TestTables.write(tmp, "c.csv", "c\na\n?\nb\n");
    Path m = md(wrap("{\"name\":\"c\",\"type\":\"categorical\",\"missingToken\":\"?\"}"));
    Table t = TableReader.read(data, new ReadOptions(m, 0)).table();
    assertThat(((ColumnData.Codes) t.column(0)).levels()).containsExactly("a", "b");
    assertThat(t.column(0).isMissing(1)).isTrue();
  }

  @Test
  void unknownColumnsAreListedWithTheRealOnes() {
    Path m = md(wrap("{\"name\":\"Age\",\"type\":\"integer\"},{\"name\":\"zz\",\"type\":\"text\"}"));
    assertThatThrownBy(() -> TableReader.read(csv(), new ReadOptions(m, 0)))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("[Age, zz]")
        .hasMessageContaining("[age, fare, code, day]");
  }

  @Test
  void jsonErrorsGiveTheirPosition() {
    Path m = md("{\"format\":\"ersatz-metadata\",\n \"columns\":[{\"name\":\"a\",}]}");
    assertThatThrownBy(() -> Metadata.read(m))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("meta.json is not valid JSON")
        .hasMessageContaining("line 2");
  }

  @Test
  void badEntries() {
    assertThatThrownBy(() -> Metadata.read(md(wrap("{\"name\":\"a\",\"type\":\"number\"}"))))
        .hasMessageContaining("unknown type 'number'").hasMessageContaining("integer");
    assertThatThrownBy(() -> Metadata.read(md(wrap("{\"name\":\"a\",\"type\":\"decimal\","
        + "\"scale\":20}")))).hasMessageContaining("scale").hasMessageContaining("[0, 17]");
    assertThatThrownBy(() -> Metadata.read(md(wrap("{\"name\":\"a\",\"type\":\"date\","
        + "\"pattern\":\"yyyy-qq-bb\"}")))).hasMessageContaining("pattern");
    assertThatThrownBy(() -> Metadata.read(md(wrap("{\"name\":\"a\",\"type\":\"text\"},"
        + "{\"name\":\"a\",\"type\":\"text\"}")))).hasMessageContaining("twice");
    assertThatThrownBy(() -> Metadata.read(md("{\"format\":\"x\",\"columns\":[]}")))
        .hasMessageContaining("ersatz-metadata");
    assertThatThrownBy(() -> Metadata.read(md("{\"version\":2,\"columns\":[]}")))
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> Metadata.read(tmp.resolve("none.json")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("not found");
  }

  @Test
  void aTargetIsReadFromTheTopLevel() {
    Path m = md("{\"format\":\"ersatz-metadata\",\"version\":1,\"target\":\"code\","
        + "\"columns\":[{\"name\":\"age\",\"type\":\"integer\"}]}");
    assertThat(Metadata.read(m).target()).isEqualTo("code");
    assertThat(Metadata.read(md(wrap("{\"name\":\"age\",\"type\":\"integer\"}"))).target())
        .isNull();
    Path bad = md("{\"format\":\"ersatz-metadata\",\"target\":3,\"columns\":[]}");
    assertThatThrownBy(() -> Metadata.read(bad)).isInstanceOf(UserInputException.class)
        .hasMessageContaining("\"target\" must be the name of a column");
  }

  @Test
  void aProfileOfADeclaredFileKeepsItsDomainsCalendarsAndTarget() {
    Path m = md("{\"format\":\"ersatz-metadata\",\"version\":1,\"target\":\"code\","
        + "\"columns\":[{\"name\":\"age\",\"type\":\"integer\",\"min\":0,\"max\":120},"
        + "{\"name\":\"day\",\"type\":\"date\",\"calendar\":\"monday\",\"missingToken\":\"?\"}]}");
    Metadata declared = Metadata.read(m);
    Table t = TableReader.read(csv(), new ReadOptions(m, 0)).table();
    Path again = tmp.resolve("again.json");
    Metadata.of(t.schema(), declared).write(again);
    Metadata back = Metadata.read(again);
    assertThat(back.target()).isEqualTo("code");
    assertThat(back.publicDomains()).isEqualTo(declared.publicDomains());
    assertThat(back.calendars()).isEqualTo(declared.calendars());
    assertThat(back.columnNames()).containsExactly("age", "fare", "code", "day");
  }
}
