package dev.meld.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical, immutable Java form of a JSON value as it appears in an op's {@code value}: {@code
 * null}, {@link Boolean}, {@link Long} (or {@link BigInteger} beyond the range of a long), {@link
 * Double}, {@link String}, an unmodifiable {@link List} or an unmodifiable, insertion-ordered
 * {@link Map} with string keys.
 *
 * <p>Every integer is a {@code Long} whatever type the caller used, so {@code 1} read from a file
 * and {@code Integer.valueOf(1)} given to a recorder are the same set element.
 */
public final class Values {

  /**
   * A total order over canonical values, used to print elements as sorted arrays: null, booleans,
   * numbers (numerically), strings, lists (lexicographically), maps (by their entries).
   */
  public static final Comparator<Object> ORDER = Values::compare;

  private Values() {}

  /**
   * Returns the canonical form of a JSON node or of a Java value made of the types above (any
   * integral {@link Number}, {@link Float}, {@link BigDecimal}, {@link Collection}, array of
   * objects, or map with string keys).
   *
   * @throws IllegalArgumentException if the value is not representable as JSON
   */
  public static Object canonical(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger) {
      BigInteger big = (BigInteger) value;
      return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("value: " + value + " (expected: a finite number)");
      }
      return d;
    }
    if (value instanceof JsonNode) {
      return fromJson((JsonNode) value);
    }
    if (value instanceof Collection) {
      return canonicalList(((Collection<?>) value).iterator(), ((Collection<?>) value).size());
    }
    if (value instanceof Object[]) {
      Object[] array = (Object[]) value;
      return canonicalList(List.of(array).iterator(), array.length);
    }
    if (value instanceof Map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException(
              "map key: " + e.getKey() + " (expected: a string, as JSON object keys are)");
        }
        copy.put((String) e.getKey(), canonical(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    throw new IllegalArgumentException(
        "value: "
            + value
            + " of "
            + value.getClass().getName()
            + " (expected: a JSON value: null, boolean, number, string, list or map)");
  }

  /** Returns the canonical long value, or throws with {@code what} naming the value. */
  public static long asLong(Object value, String what) {
    if (value instanceof Long) {
      return (Long) value;
    }
    throw new IllegalArgumentException(what + ": " + render(value) + " (expected: an integer)");
  }

  /** Renders a canonical value as compact JSON text, for messages and map keys. */
  public static String render(Object value) {
    return OpJson.render(value);
  }

  private static List<Object> canonicalList(Iterator<?> items, int size) {
    List<Object> copy = new ArrayList<>(size);
    while (items.hasNext()) {
      copy.add(canonical(items.next()));
    }
    return Collections.unmodifiableList(copy);
  }

  private static Object fromJson(JsonNode node) {
    switch (node.getNodeType()) {
      case NULL:
      case MISSING:
        return null;
      case BOOLEAN:
        return node.booleanValue();
      case STRING:
        return node.textValue();
      case NUMBER:
        if (node.isIntegralNumber()) {
          return canonical(node.bigIntegerValue());
        }
        return node.doubleValue();
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(item -> list.add(fromJson(item)));
        return Collections.unmodifiableList(list);
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), fromJson(e.getValue())));
        return Collections.unmodifiableMap(map);
      default:
        throw new IllegalArgumentException(
            "value: " + node + " (expected: a JSON value, not " + node.getNodeType() + ")");
    }
  }

  private static int rank(Object v) {
    if (v == null) {
      return 0;
    } else if (v instanceof Boolean) {
      return 1;
    } else if (v instanceof Number) {
      return 2;
    } else if (v instanceof String) {
      return 3;
    } else if (v instanceof List) {
      return 4;
    }
    return 5;
  }

  private static int compare(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
        return 0;
      case 1:
        return Boolean.compare((Boolean) a, (Boolean) b);
      case 2:
        return compareNumbers((Number) a, (Number) b);
      case 3:
        return ((String) a).compareTo((String) b);
      case 4:
        return compareLists((List<?>) a, (List<?>) b);
      default:
        return render(a).compareTo(render(b));
    }
  }

  private static int compareNumbers(Number a, Number b) {
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
  }

  private static int compareLists(List<?> a, List<?> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
