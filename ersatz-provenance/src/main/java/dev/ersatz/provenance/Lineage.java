package dev.ersatz.provenance;

import dev.ersatz.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds lineage graphs, from the catalog or from a manifest alone. */
public final class Lineage {
  private Lineage() {}

  /**
   * The ancestry of a dataset or model, walked in the catalog up to the real sources.
   *
   * @param catalog the catalog
   * @param fileOrId an id, a SHA-256, or a file path
   * @throws UserInputException when the catalog does not know it (and no manifest is beside the
   *     file)
   */
  public static LineageGraph graph(Catalog catalog, String fileOrId) {
    var id = catalog.resolve(fileOrId);
    if (id.isEmpty()) {
      Path p = Path.of(fileOrId);
      if (Files.exists(Manifests.manifestPath(p))) {
        return fromManifest(p);
      }
      throw new UserInputException("'" + fileOrId + "' is not in the catalog (no dataset or "
          + "model with that id, hash or file content) and has no manifest beside it");
    }
    Map<String, LineageGraph.Node> nodes = new LinkedHashMap<>();
    List<LineageGraph.Edge> edges = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(id.get());
    while (!todo.isEmpty()) {
      String cur = todo.poll();
      if (nodes.containsKey(cur)) {
        continue;
      }
      nodes.put(cur, catalog.node(cur).orElse(new LineageGraph.Node("dataset", cur, "?", "",
          "", false, 0, null, null, "")));
      for (LineageGraph.Edge e : catalog.parents(cur)) {
        edges.add(e);
        todo.add(e.parentId());
      }
    }
    return new LineageGraph(id.get(), nodes, edges);
  }

  /**
   * The ancestry recorded in one output's manifest (no catalog needed).
   *
   * @param output the output file or its manifest
   */
  public static LineageGraph fromManifest(Path output) {
    Manifest m = Manifests.read(output);
    Map<String, LineageGraph.Node> nodes = new LinkedHashMap<>();
    List<LineageGraph.Edge> edges = new ArrayList<>();
    String name = output.getFileName().toString();
    if (name.endsWith(Manifests.SUFFIX)) {
      name = name.substring(0, name.length() - Manifests.SUFFIX.length());
    }
    nodes.put(m.id(), new LineageGraph.Node("dataset", m.id(), name,
        m.primaryOutput().sha256(), m.generator(), true, m.rows(), m.seed(), m.epsilonSpent(),
        m.createdAt()));
    if (m.model() != null) {
      edges.add(new LineageGraph.Edge(m.id(), m.model().id(), "sampledFrom"));
    }
    for (Manifest.Ancestor a : m.parents()) {
      boolean model = a.kind().equals("model");
      long rows = 0;
      for (var s : m.sources()) {
        if (Manifests.datasetId(s.sha256(), s.name()).equals(a.id())) {
          rows = s.rows();
        }
      }
      Long seed = model && m.model() != null && m.model().id().equals(a.id())
          ? m.model().fitSeed() : null;
      nodes.putIfAbsent(a.id(), new LineageGraph.Node(a.kind(), a.id(), a.name(), a.sha256(),
          a.generator(), model || !a.generator().isEmpty(), rows, seed, null, ""));
      for (String p : a.derivedFrom()) {
        edges.add(new LineageGraph.Edge(a.id(), p, model ? "trainedOn" : "sampledFrom"));
      }
    }
    return new LineageGraph(m.id(), nodes, edges);
  }
}
