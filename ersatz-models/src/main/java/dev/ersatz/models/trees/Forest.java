package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.random.AliasTable;
import dev.ersatz.core.random.RandomSource;

/**
 * The sampling view of one column's ensemble, built from its {@link Tree}s when a model is made
 * or loaded (the model file keeps the trees' own layout): every member's nodes in one
 * {@code int[]}, four ints a node, every split's routing mask in one {@code byte[]}, and every
 * leaf's cell distribution as a packed alias table ({@link AliasTable#pack}) in one
 * {@code int[]}, so a draw is O(1) instead of a search of the leaf's cumulative distribution.
 *
 * <p>{@link #sample} routes a whole block of rows through the ensemble level by level: one pass
 * moves every row still at an internal node one step down. The rows' walks are independent, so
 * the processor overlaps them, where walking one row to its leaf before starting the next waits
 * on each node's load in turn and mispredicts the loop's exit once per walk. Routing itself has
 * no data-dependent branch: ordered splits also route through a mask (cells {@code <= t} set).
 */
final class Forest {
  /** Rows per block: a block's cells of a few dozen columns stay in the L1/L2 caches. */
  static final int BLOCK_SHIFT = 9;
  static final int BLOCK = 1 << BLOCK_SHIFT;

  /**
   * Per internal node two longs: the split column (high half) and the offset of its mask in
   * {@link #masks} (low half), then the left child (high half) and the right child (low half). A
   * child that splits again is its position in this array, a leaf is {@code ~offset} of its alias
   * table in {@link #alias} (so negative: the walk tells a leaf by the child pointer itself,
   * without loading the leaf). Two loads a step instead of four ints' three: the mask's byte
   * (0 or 1) times 32 shifts the left child down or leaves the right one, without a branch.
   */
  private final long[] nodes;
  /** Per internal node, one byte per cell of its split column: 1 to go left, 0 to go right. */
  private final byte[] masks;
  private final int[] alias;
  /** Each member's root, encoded as a child is. */
  private final int[] roots;
  private final int classes;
  /** Per leaf, in the order of their alias tables: its member, then its node in that tree. */
  private final int[] leafOf;

  private Forest(long[] nodes, byte[] masks, int[] alias, int[] roots, int classes,
      int[] leafOf) {
    this.nodes = nodes;
    this.masks = masks;
    this.alias = alias;
    this.roots = roots;
    this.classes = classes;
    this.leafOf = leafOf;
  }

  /**
   * Flattens the ensemble of modelled column {@code column}.
   *
   * @param card cells of every modelled column (the masks' lengths)
   * @throws ModelFormatException if a tree splits on a column at or after {@code column} (it
   *     would read a cell not yet drawn) or a mask runs past its tree's mask table
   */
  static Forest of(Tree[] members, int column, int[] card) {
    int classes = members[0].classes;
    int nodeCount = 0;
    int maskLen = 0;
    int leafCount = 0;
    for (Tree t : members) {
      nodeCount += t.nodes();
      for (int f : t.feature) {
        if (f >= column || f < -1) {
          throw new ModelFormatException("a tree of modelled column " + column
              + " splits on column " + f + ", which is not drawn before it");
        }
        if (f >= 0) {
          maskLen += card[f];
        } else {
          leafCount++;
        }
      }
    }
    long[] nodes = new long[2 * (nodeCount - leafCount)];
    byte[] masks = new byte[maskLen];
    int[] alias = new int[2 * classes * leafCount];
    int[] roots = new int[members.length];
    int[] leafOf = new int[2 * leafCount];
    double[] p = new double[classes];
    int io = 0;
    int mo = 0;
    int ao = 0;
    for (int b = 0; b < members.length; b++) {
      Tree t = members[b];
      // where each node of this tree goes: internal nodes get positions, leaves alias tables
      int[] ref = new int[t.nodes()];
      for (int i = 0; i < t.nodes(); i++) {
        if (t.feature[i] >= 0) {
          ref[i] = io;
          io += 2;
        } else {
          for (int c = 0; c < classes; c++) {
            p[c] = t.probability(i, c);
          }
          AliasTable.pack(p, 0, classes, alias, ao);
          leafOf[2 * (ao / (2 * classes))] = b;
          leafOf[2 * (ao / (2 * classes)) + 1] = i;
          ref[i] = ~ao;
          ao += 2 * classes;
        }
      }
      roots[b] = ref[0];
      for (int i = 0; i < t.nodes(); i++) {
        int f = t.feature[i];
        if (f < 0) {
          continue;
        }
        int o = t.offset[i];
        if (o + card[f] > t.goLeft.length) {
          throw new ModelFormatException("a tree of modelled column " + column
              + " has a split mask past the end of its mask table at node " + i);
        }
        for (int c = 0; c < card[f]; c++) {
          masks[mo + c] = (byte) (t.goLeft[o + c] != 0 ? 1 : 0);
        }
        int at = ref[i];
        nodes[at] = (long) f << 32 | mo;
        nodes[at + 1] = (long) ref[t.left[i]] << 32 | (ref[t.right[i]] & 0xFFFF_FFFFL);
        mo += card[f];
      }
    }
    return new Forest(nodes, masks, alias, roots, classes, leafOf);
  }

  /**
   * Draws this column's cell for rows {@code 0..m-1} of a block: a member per row uniformly at
   * random (the equal mixture), the row's leaf in it, and a cell from the leaf.
   *
   * @param m rows, at most {@link #BLOCK}
   * @param block the block's cells so far, row {@code i} of column {@code f} at
   *     {@code f * BLOCK + i}; only columns before this one are read
   * @param out where row {@code i}'s cell goes: {@code block[out + i]}
   * @param node scratch of at least {@code m} ints
   * @param rowOf scratch of at least {@code m} ints
   * @param nodeOf scratch of at least {@code m} ints
   */
  void sample(int m, int[] block, int out, int[] node, int[] rowOf, int[] nodeOf,
      RandomSource rng) {
    walk(m, block, node, rowOf, nodeOf, rng);
    final int[] al = alias;
    int k = classes;
    for (int i = 0; i < m; i++) {
      block[out + i] = AliasTable.samplePacked(al, ~node[i], k, rng.nextLong());
    }
  }

  /**
   * Routes rows {@code 0..m-1} of a block as {@link #sample} does, without drawing a cell:
   * row {@code i}'s member goes to {@code member[i]} and its leaf, as a node of that member's
   * {@link Tree}, to {@code leaf[i]} (for draws that need more than the leaf's alias table).
   */
  void route(int m, int[] block, int[] node, int[] rowOf, int[] nodeOf, int[] member,
      int[] leaf, RandomSource rng) {
    walk(m, block, node, rowOf, nodeOf, rng);
    int stride = 2 * classes;
    for (int i = 0; i < m; i++) {
      int l = 2 * (~node[i] / stride);
      member[i] = leafOf[l];
      leaf[i] = leafOf[l + 1];
    }
  }

  /** The member of the leaf that {@link #sample} left as {@code node[i]} (an {@code ~alias}). */
  int memberAt(int node) {
    return leafOf[2 * (~node / (2 * classes))];
  }

  /** The leaf, as a node of its member's {@link Tree}, that {@code node[i]} stands for. */
  int leafAt(int node) {
    return leafOf[2 * (~node / (2 * classes)) + 1];
  }

  /** Picks each row's member and walks it to its leaf: {@code node[i]} ends as {@code ~alias}. */
  private void walk(int m, int[] block, int[] node, int[] rowOf, int[] nodeOf,
      RandomSource rng) {
    final long[] p = nodes;
    final byte[] mk = masks;
    int members = roots.length;
    int live = 0;
    for (int i = 0; i < m; i++) {
      int at = members == 1 ? roots[0]
          : roots[(int) (((rng.nextLong() >>> 32) * members) >>> 32)];
      node[i] = at;
      rowOf[live] = i;
      nodeOf[live] = at;
      live += (~at) >>> 31; // keep rows not at a leaf yet
    }
    // the rows still walking and their nodes; each pass moves them all one level down
    while (live > 0) {
      int kept = 0;
      for (int a = 0; a < live; a++) {
        int i = rowOf[a];
        int at = nodeOf[a];
        long head = p[at];
        int cell = block[((int) (head >>> 32) << BLOCK_SHIFT) + i];
        int next = (int) (p[at + 1] >>> (mk[(int) head + cell] << 5));
        node[i] = next;
        rowOf[kept] = i;
        nodeOf[kept] = next;
        kept += (~next) >>> 31;
      }
      live = kept;
    }
  }
}
