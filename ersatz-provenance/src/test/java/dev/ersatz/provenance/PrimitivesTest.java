package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrimitivesTest {

  /** Reference vector from Aumasson and Bernstein (2012), appendix A. */
  @Test
  void sipHashMatchesThePaperVector() {
    long k0 = SipHash.le(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);
    long k1 = SipHash.le(new byte[] {8, 9, 10, 11, 12, 13, 14, 15}, 0);
    byte[] msg = new byte[15];
    for (int i = 0; i < 15; i++) {
      msg[i] = (byte) i;
    }
    assertThat(new SipHash(k0, k1).hash(msg)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void twoWordHashEqualsByteHash() {
    SipHash h = new SipHash(12345L, -987L);
    long a = 0x0123456789abcdefL;
    long b = -42L;
    byte[] in = new byte[16];
    for (int i = 0; i < 8; i++) {
      in[i] = (byte) (a >>> (8 * i));
      in[8 + i] = (byte) (b >>> (8 * i));
    }
    assertThat(h.hash(a, b)).isEqualTo(h.hash(in));
  }

  /** Expected values: src/test/python/binomial_sf.py (scipy.stats.binom.sf), see .out file. */
  @Test
  void binomialTailMatchesScipy() {
    double[][] cases = {
        {10, 0, 1.0},
        {10, 5, 0.623046875},
        {10, 8, 0.0546875},
        {10, 10, 0.0009765625},
        {100, 50, 0.5397946186935892},
        {100, 60, 0.02844396682049044},
        {100, 75, 2.818141017102701e-07},
        {1000, 530, 0.03101159754918174},
        {1000, 600, 1.364232078032988e-10},
        {1000, 750, 6.738128253015444e-59},
        {20000, 10500, 8.005546700793313e-13},
        {100000, 50100, 0.26457864704009904},
        {5, 6, 0.0},
    };
    for (double[] c : cases) {
      double p = Binomial.upperTailHalf((long) c[0], (long) c[1]);
      if (c[2] == 0) {
        assertThat(p).isZero();
      } else {
        assertThat(p).as("n=%s k=%s", c[0], c[1]).isCloseTo(c[2], within(c[2] * 1e-9));
      }
    }
  }

  @Test
  void logTailAgreesWithTheTailAndStaysFiniteFarBeyondIt() {
    for (long[] c : new long[][] {{10, 8}, {1000, 530}, {1000, 750}, {20000, 10500}}) {
      assertThat(Binomial.logUpperTailHalf(c[0], c[1]))
          .isCloseTo(Math.log(Binomial.upperTailHalf(c[0], c[1])), within(1e-9));
    }
    assertThat(Binomial.upperTailHalf(100_000, 60_000)).isZero();
    assertThat(Binomial.logUpperTailHalf(100_000, 60_000)).isBetween(-3000.0, -1000.0);
    assertThat(Binomial.logUpperTailHalf(10, 0)).isZero();
    assertThat(Binomial.logUpperTailHalf(5, 6)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  /** Expected values: src/test/python/normal_isf.py (scipy.stats.norm, chi2), see .out file. */
  @Test
  void normalScoresAndFisherCombinationMatchScipy() {
    double[][] z = {
        {-0.6931471805599453, 0.0},
        {-2.995732273553991, 1.6448536269514729},
        {-13.815510557964274, 4.753424308822899},
        {-230.25850929940458, 21.273453560965322},
        {-700.0, 37.295079632647415},
        {-5000.0, 99.94474817484108},
    };
    for (double[] c : z) {
      assertThat(Binomial.normalScore(c[0])).as("log p %s", c[0]).isCloseTo(c[1], within(1e-6));
    }
    assertThat(Binomial.normalScore(Math.log(0.95))).isCloseTo(-1.6448536269514729,
        within(1e-6));
    double[][] fisher = {
        {0.5, 0.5, 0.5965735902799727},
        {0.001, 0.2, 0.0019034386382832487},
        {1e-06, 1e-06, 2.8631021115928584e-11},
    };
    for (double[] c : fisher) {
      double p = Math.exp(Watermark.combineLog(Math.log(c[0]), Math.log(c[1])));
      assertThat(p).isCloseTo(c[2], within(c[2] * 1e-9));
    }
  }

  @Test
  void schemaHashIsStableAndSensitive() throws Exception {
    var t1 = TestCsv.parse("a,b\n1,x\n2,y\n");
    var t2 = TestCsv.parse("a,b\n3,z\n4,x\n");
    var t3 = TestCsv.parse("a,c\n1,x\n");
    assertThat(Hashes.schemaSha256(t1.schema())).isEqualTo(Hashes.schemaSha256(t2.schema()))
        .hasSize(64);
    assertThat(Hashes.schemaSha256(t1.schema())).isNotEqualTo(Hashes.schemaSha256(t3.schema()));
    assertThat(Hashes.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
