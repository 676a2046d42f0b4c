package dev.ersatz.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void canonicalOutputSortsKeysAndRoundTrips() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1L, 2.5, "x\"y\n", true));
    m.put("a", new double[] {0.1, 3.0, Double.NaN});
    m.put("c", null);
    String s = Json.write(m);
    assertThat(s).isEqualTo("{\"a\":[0.1,3,null],\"b\":[1,2.5,\"x\\\"y\\n\",true],\"c\":null}");
    assertThat(Json.write(Json.parse(s))).isEqualTo(s);
    JsonMap j = Json.parseObject(s);
    assertThat(j.doubles("a")[0]).isEqualTo(0.1);
    assertThat(Double.isNaN(j.doubles("a")[2])).isTrue();
    assertThat(Json.parse(Json.writePretty(m))).isEqualTo(Json.parse(s));
  }

  @Test
  void doublesRoundTripExactly() {
    double[] xs = {Math.PI, 1e-300, -2.5e17, 0.30000000000000004, 123456789.125};
    String s = Json.write(Map.of("x", xs));
    double[] back = Json.parseObject(s).doubles("x");
    assertThat(back).containsExactly(xs);
  }

  @Test
  void errorsNameWhereAndWhat() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2"))
        .isInstanceOf(Json.JsonException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,\n \"b\": x}"))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> Json.parseObject("{\"a\": 1}").str("a"))
        .hasMessageContaining("'a' must be a string");
    assertThatThrownBy(() -> Json.parseObject("{}").obj("model"))
        .hasMessageContaining("missing field 'model'");
  }
}
