package dev.ersatz.core.spi;

import dev.ersatz.core.UserInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds generators by name among the {@link SynthesizerProvider}s on the class path. */
public final class Synthesizers {
  private Synthesizers() {}

  /** All providers, sorted by name. */
  public static List<SynthesizerProvider> all() {
    TreeMap<String, SynthesizerProvider> byName = new TreeMap<>();
    for (SynthesizerProvider p : ServiceLoader.load(SynthesizerProvider.class)) {
      byName.put(p.name(), p);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * The provider named {@code name}.
   *
   * @throws UserInputException listing the known names when there is none
   */
  public static SynthesizerProvider get(String name) {
    List<String> names = new ArrayList<>();
    for (SynthesizerProvider p : all()) {
      if (p.name().equals(name)) {
        return p;
      }
      names.add(p.name());
    }
    throw new UserInputException("unknown generator '" + name + "'; choose one of " + names);
  }
}
