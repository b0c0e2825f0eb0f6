import CaseStore
import Foundation
import TestSupport
import TextCells
import Testing

@testable import Casework

@Suite struct CVTests {
  func cv(_ language: Language, name: String = "Layla Haddad (ليلى حداد)") -> CurriculumVitae {
    CurriculumVitae(
      document: Fixture.screened(name: name), content: Fixture.content, strings: Fixture.strings(language),
      today: Fixture.today)
  }

  @Test(arguments: [Language.en, .nl], [CVFormat.text, .markdown, .html])
  func goldenFiles(language: Language, format: CVFormat) {
    let text = cv(language).rendered(as: format)
    assertSnapshot(
      String(text.dropLast()), named: "cv-\(language.rawValue)", extension: format.fileExtension)
  }

  @Test func europassOrderAndContent() {
    let text = cv(.en).plainText()
    let headings = ["PERSONAL INFORMATION", "WORK EXPERIENCE", "EDUCATION AND TRAINING", "LANGUAGE SKILLS", "DIGITAL SKILLS", "DRIVING LICENCE", "OTHER SKILLS"]
    let positions = headings.map { text.range(of: $0)?.lowerBound }
    #expect(!positions.contains(nil))
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    // Most recent first; catalog occupations by name, free text as typed.
    #expect(text.range(of: "Tailor")!.lowerBound < text.range(of: "Cook")!.lowerBound)
    #expect(text.contains("Upper secondary education (ISCED 3) — Hotel & catering"))
    #expect(text.contains("Diploma obtained · recognition: requested"))
    #expect(text.contains("English             B1          B2          B1          A2          A2"))
    #expect(text.contains("Cook: 80% fit (14 Sep 2026)"))
    // Hard criteria and the network answer are not for a CV.
    #expect(!text.contains("Cousin in Gent"))
  }

  @Test func plainTextFitsEightyColumnsWithWideScripts() {
    var d = Fixture.screened(name: "陈美玲 Chen Meiling")
    d.screening.factual.softSkills["strengths"] = String(repeating: "很有条理，善于沟通。", count: 12)
    let text = CurriculumVitae(document: d, content: Fixture.content, strings: Fixture.strings(.en), today: Fixture.today).plainText()
    for line in text.split(separator: "\n") {
      #expect(TextWidth.width(of: line) <= 80, "\(line)")
    }
  }

  @Test func hostileTextIsEscapedInEveryFormat() {
    let name = "<script>alert('x')</script> & *bold* [link](http://x)"
    var d = Fixture.screened(name: name)
    d.screening.factual.softSkills["hobbies"] = "# heading\n- item <b>"
    d.screening.factual.work[0].country = "- Syria"
    let cv = CurriculumVitae(document: d, content: Fixture.content, strings: Fixture.strings(.en), today: Fixture.today)
    let html = cv.html()
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; *bold*"))
    #expect(!html.contains("<b>"))
    let md = cv.markdown()
    #expect(md.contains("# &lt;script&gt;alert('x')&lt;/script&gt; &amp; \\*bold\\* \\[link\\](http://x)"))
    #expect(md.contains("**Hobbies and interests**: # heading - item &lt;b&gt;"))
    // A value on a line of its own cannot become a list item or heading.
    #expect(md.contains("\n\\- Syria  \n"))
    let text = cv.plainText()
    #expect(text.contains("<script>alert('x')</script>"))
    #expect(!text.contains("\u{1B}"))
  }

  /// WeasyPrint lays the page out as a print engine would (A4 from the stylesheet's @page).
  @Test func htmlCVOfATypicalCaseFitsOneA4Page() throws {
    for language in [Language.en, .nl] {
      let pages = try Python.run(
        """
        import sys, weasyprint
        doc = weasyprint.HTML(string=sys.stdin.read()).render()
        size = doc.pages[0].width, doc.pages[0].height
        print(len(doc.pages), round(size[0] * 25.4 / 96), round(size[1] * 25.4 / 96))
        """, input: cv(language).html())
      #expect(pages.hasSuffix("1 210 297\n"), "\(language): \(pages)")
    }
  }

  @Test func htmlPassesAnHTML5Parser() throws {
    for language in [Language.en, .nl] {
      let errors = try Python.run(
        """
        import sys, html5lib
        p = html5lib.HTMLParser(strict=True)
        try:
            p.parse(sys.stdin.read())
            print("ok")
        except Exception as e:
            print("error:", e, p.errors)
        """, input: cv(language, name: "<script>x</script> Layla").html())
      #expect(errors == "ok\n")
    }
  }
}
