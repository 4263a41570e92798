package chat.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One of the locales the catalogue has descriptions in, as chat_errors.proto
 * declares them with {@code option (locales)}. The first declared
 * ({@code ko-KR}) is the default; {@code en-US} gives the developer-facing
 * status message.
 */
public final class CatalogueLocale {
  private static final List<CatalogueLocale> ALL;
  private static final CatalogueLocale DEVELOPER;

  static {
    List<CatalogueLocale> all = new ArrayList<>();
    for (String tag : Catalogue.LOCALE_TAGS) {
      all.add(new CatalogueLocale(tag, all.size()));
    }
    ALL = Collections.unmodifiableList(all);
    CatalogueLocale developer = fromTag("en-US");
    if (developer == null) {
      throw new IllegalStateException("enum ErrorCode must declare (locales) = \"en-US\"");
    }
    DEVELOPER = developer;
  }

  private final String tag;
  private final int index;

  private CatalogueLocale(String tag, int index) {
    this.tag = tag;
    this.index = index;
  }

  /** The BCP 47 tag, e.g. {@code ko-KR}, as sent in {@code LocalizedMessage.locale}. */
  public String tag() {
    return tag;
  }

  /** This locale as a {@link Locale}, e.g. for formatting in an Android UI. */
  public Locale toLocale() {
    return Locale.forLanguageTag(tag);
  }

  int index() {
    return index;
  }

  /** Every locale, in the order the proto declares them. */
  public static List<CatalogueLocale> all() {
    return ALL;
  }

  /** The locale of a status when nobody chose one: the first declared, {@code ko-KR}. */
  public static CatalogueLocale defaultLocale() {
    return ALL.get(0);
  }

  /** {@code en-US}, whose description is the developer-facing status message. */
  public static CatalogueLocale developer() {
    return DEVELOPER;
  }

  /** The locale whose tag is {@code tag}, ignoring ASCII case; {@code null} when there is none. */
  public static CatalogueLocale fromTag(String tag) {
    for (CatalogueLocale locale : ALL) {
      if (AcceptLanguage.equalsIgnoreAsciiCase(locale.tag, tag)) {
        return locale;
      }
    }
    return null;
  }

  /**
   * The locale an {@code accept-language} value asks for, as the Rust crate's
   * {@code Locale::negotiate}: ranges by weight, each looked up as RFC 4647
   * §3.4 says (a range also finds a locale it is a prefix of), {@code q=0}
   * ruling locales out; {@code null} when nothing matches or the value is
   * oversized or has too many elements.
   */
  public static CatalogueLocale negotiate(String acceptLanguage) {
    return AcceptLanguage.negotiate(List.of(acceptLanguage)).matched;
  }

  @Override
  public String toString() {
    return tag;
  }
}
