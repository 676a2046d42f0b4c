package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdvMetadataTest {
  @TempDir Path tmp;

  private Path csv(String text) {
    return TestTables.write(tmp, "data.csv", text);
  }

  private Path md(String json) {
    return TestTables.write(tmp, "meta.json", json);
  }

  private Table read(Path data, Path meta) {
    return TableReader.read(data, new ReadOptions(meta, 0)).table();
  }

  private static ColumnType type(Table t, String name) {
    return t.schema().column(t.schema().indexOf(name).orElseThrow()).type();
  }

  @Test
  void sdtypesBecomeErsatzTypesAndTheTargetIsRead() {
    // code holds small whole numbers that inference would keep as integers: declared
    // categorical, they are labels; score is numerical with whole values: an integer
    Path data = csv("pid,code,score,ratio,seen,flag,email,note\n"
        + "11,1,3,0.5,2021-03-04,yes,a@x.org,p\n"
        + "12,2,4,1.25,2021-03-05,no,b@x.org,q\n"
        + "13,1,,2,2021-03-07,yes,c@x.org,p\n");
    Path meta = md("{\"METADATA_SPEC_VERSION\": \"SINGLE_TABLE_V1\", \"primary_key\": \"pid\","
        + " \"columns\": {"
        + "\"pid\": {\"sdtype\": \"id\"}, \"code\": {\"sdtype\": \"categorical\"},"
        + "\"score\": {\"sdtype\": \"numerical\"},"
        + "\"ratio\": {\"sdtype\": \"numerical\", \"computer_representation\": \"Float\"},"
        + "\"seen\": {\"sdtype\": \"datetime\", \"datetime_format\": \"%Y-%m-%d\"},"
        + "\"flag\": {\"sdtype\": \"boolean\"}, \"email\": {\"sdtype\": \"email\", \"pii\": true},"
        + "\"note\": {\"sdtype\": \"phone_number\", \"pii\": false}},"
        + " \"target\": \"flag\", \"positive\": \"yes\"}");
    assertThat(Metadata.read(meta).target()).isEqualTo("flag");
    Table t = read(data, meta);
    assertThat(type(t, "pid")).isInstanceOf(ColumnType.Identifier.class);
    assertThat(type(t, "code")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type(t, "score")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type(t, "ratio")).isInstanceOf(ColumnType.Numeric.class);
    assertThat(((ColumnType.Numeric) type(t, "ratio")).integer()).isFalse();
    assertThat(type(t, "seen")).isEqualTo(new ColumnType.Datetime("yyyy-MM-dd", true));
    assertThat(type(t, "flag")).isEqualTo(new ColumnType.Bool("yes", "no"));
    assertThat(type(t, "email")).isInstanceOf(ColumnType.Text.class);
    assertThat(type(t, "note")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(((ColumnData.Numbers) t.column(t.schema().indexOf("score").orElseThrow())).get(2)).isNaN();
  }

  @Test
  void aDatetimeFormatIsTranslatedAndUnpaddedValuesAreStillRead() {
    assertThat(SdvMetadata.javaPattern("%Y-%m-%d %H:%M:%S", "w")).isEqualTo("yyyy-MM-dd HH:mm:ss");
    assertThat(SdvMetadata.javaPattern("%d %b %Y at %I%p", "w")).isEqualTo("dd MMM yyyy' at 'hha");
    assertThat(SdvMetadata.javaPattern("%Y%m%dT%H%M 100%%", "w")).isEqualTo("yyyyMMdd'T'HHmm 100%");
    // strftime reads 1/5/2020 with %m/%d/%Y; the pattern is then inferred from the values
    Path data = csv("when,n\n1/5/2020,1\n12/25/2020,2\n3/14/2021,3\n");
    Path meta = md("{\"columns\": {\"when\": {\"sdtype\": \"datetime\", "
        + "\"datetime_format\": \"%m/%d/%Y\"}, \"n\": {\"sdtype\": \"numerical\"}}}");
    Table t = read(data, meta);
    assertThat(type(t, "when")).isInstanceOf(ColumnType.Datetime.class);
    assertThat(((ColumnType.Datetime) type(t, "when")).dateOnly()).isTrue();
    // a datetime without a format: date or datetime as the values say
    Path data2 = csv("at,n\n2021-03-04 10:00:00,1\n2021-03-05 11:30:00,2\n");
    Table t2 = read(data2, md("{\"columns\": {\"at\": {\"sdtype\": \"datetime\"}}}"));
    assertThat(((ColumnType.Datetime) type(t2, "at")).dateOnly()).isFalse();
  }

  @Test
  void aFileThatOnlyNamesTheTargetDeclaresNoColumn() {
    Path data = csv("a,b\n1,x\n2,y\n");
    Path meta = md("{\"target\": \"b\", \"positive\": \"x\"}");
    assertThat(Metadata.read(meta).target()).isEqualTo("b");
    assertThat(Metadata.read(meta).columnNames()).isEmpty();
    assertThat(type(read(data, meta), "a")).isEqualTo(ColumnType.Numeric.ofInteger());
  }

  @Test
  void aPartialFileMayNameATargetAndAKeyItDoesNotList() {
    // SDV files may list only the columns whose type they fix; the rest is inferred
    Path data = csv("pid,a,b\n11,1,x\n12,2,y\n");
    Path meta = md("{\"primary_key\": \"pid\", \"columns\": {\"a\": {\"sdtype\": "
        + "\"categorical\"}}, \"target\": \"b\"}");
    assertThat(Metadata.read(meta).target()).isEqualTo("b");
    Table t = read(data, meta);
    assertThat(type(t, "pid")).isInstanceOf(ColumnType.Identifier.class);
    assertThat(type(t, "a")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void mistakesAreNamedWithTheirFix() {
    Path data = csv("a,b\n1,x\n2,y\n");
    assertThatThrownBy(() -> read(data, md("{\"columns\": {\"a\": {\"type\": \"numerical\"}}}")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("meta.json, column 'a'").hasMessageContaining("sdtype");
    assertThatThrownBy(() -> read(data, md("{\"columns\": {\"a\": {\"sdtype\": \"numerical\", "
        + "\"computer_representation\": \"Decimal\"}}}")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("Float, Int8");
    assertThatThrownBy(() -> read(data, md("{\"columns\": {\"b\": {\"sdtype\": \"numerical\"}}}")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("data.csv").hasMessageContaining("'b'").hasMessageContaining("x");
    assertThatThrownBy(() -> read(data, md("{\"columns\": {\"a\": {\"sdtype\": \"numerical\"}},"
        + " \"target\": \"c\"}")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("the target 'c'")
        .hasMessageContaining("data.csv does not have").hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> read(data, md("{\"primary_key\": \"id\", \"columns\": {}}")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("[id]")
        .hasMessageContaining("data.csv does not have");
    assertThatThrownBy(() -> read(data, md("{\"tables\": {\"t\": {\"columns\": {}}}}")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("several tables");
    assertThatThrownBy(() -> read(data, md("{\"columns\": {\"a\": {\"sdtype\": \"datetime\", "
        + "\"datetime_format\": \"%Y-%U\"}}}")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("%U");
  }
}
