"""Which agency and year a report belongs to: candidates from every place that names them, scored.

Each case is written the way offices write their reports and pages (opening sentences, signatures, page
titles with site chrome, breadcrumbs, ContentSource), with wrong candidates beside the right one. The
expected agency and year are read off the text by a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from parsers.agency_candidates import Candidate, looks_like_organ, named_in_sentences, titles_in
from parsers.agency_names import normalize_agency
from parsers.hints import Hints, file_name_of
from parsers.identity import LOW_CONFIDENCE, Identity, resolve_identity
from parsers.metadata import find_closing_date, find_statistics_year
from parsers.normalize import normalize_text

OPENING = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"
BODY = ["一、总体情况", "2023年，我局认真贯彻落实《条例》和县委、县政府工作部署，主动公开政府信息。",
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项", "无。"]


@dataclass
class Case:
    name: str
    head: list[str]
    tail: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    hints: Hints | None = None
    agency: str | None = None
    year: int | None = None


CASES = [
    Case("xianfabu", [OPENING + "现发布《会昌县人力资源和社会保障局2023年政府信息公开工作年度报告》。本报告由总体情况、"
                      "主动公开政府信息情况等六部分组成。"],
         ["会昌县人力资源和社会保障局", "2024年1月18日"],
         {"ContentSource": "会昌县人民政府办公室", "title": "政府信息公开年报_会昌县人民政府"},
         Hints(county="会昌县"), "会昌县人力资源和社会保障局", 2023),
    Case("te_xiang_shehui_gongbu", [OPENING + "特向社会公布泽州县自然资源局2023年政府信息公开工作年度报告。"
                                    "本报告中所列数据的统计期限为2023年1月1日至12月31日。"],
         ["泽州县自然资源局", "2024年1月25日"],
         {"ContentSource": "泽州县人民政府", "breadcrumb": "首页 > 政府信息公开 > 政府信息公开年报"},
         Hints(county="泽州县"), "泽州县自然资源局", 2023),
    Case("xianjiang_yiyu_gongbu_short_form", [OPENING.replace("（以下简称《条例》）", "") +
                                              "现将县人社局2022年度政府信息公开工作年度报告予以公布。"],
         ["古县人力资源和社会保障局", "二〇二三年一月二十日"],
         {"ContentSource": "古县人民政府办公室"}, Hints(county="古县"), "古县人力资源和社会保障局", 2022),
    Case("benbdanwei_rumian", ["根据《中华人民共和国政府信息公开条例》规定，现将本单位2023年政府信息公开工作年度报告"
                               "如下：本报告统计期限为2023年1月1日至2023年12月31日。"],
         ["会昌县财政局", "2024年1月22日"],
         {"title": "会昌县财政局2023年政府信息公开工作年度报告_会昌县人民政府门户网站",
          "ContentSource": "会昌县政务服务中心"},
         Hints(county="会昌县"), "会昌县财政局", 2023),
    Case("two_line_title_seed_000", ["古县人力资源和社会保障局", "2021年政府信息公开工作年度报告"],
         ["2022年1月21日"], {}, Hints(county="古县"), "古县人力资源和社会保障局", 2021),
    Case("markdown_title_seed_004", ["# 泽州县人力资源和社会保障局 2023年政府信息公开工作年度报告",
                                     "我局的政府信息公开工作本年度报告中所有数据的统计期限自2023年1月1日起至2023年"
                                     "12月31日止。如对本年度报告有任何疑问，请与泽州县人力资源和社会保障局联系。"],
         ["泽州县人力资源和社会保障局", "2024年1月24日"], {}, None, "泽州县人力资源和社会保障局", 2023),
    Case("government_without_renmin_zhengfu", ["会昌县2023年政府信息公开工作年度报告"],
         ["会昌县人民政府办公室", "2024年3月20日"],
         {"ContentSource": "会昌县政务服务管理局"}, Hints(county="会昌县"), "会昌县人民政府", 2023),
    Case("chrome_in_front_title_without_year", ["会昌县水利局政府信息公开工作年度报告",
                                                "本报告统计数据时间为2023年1月1日至2023年12月31日。"],
         ["会昌县水利局", "2024年1月28日"],
         {"title": "会昌县人民政府-会昌县水利局政府信息公开工作年度报告"}, Hints(county="会昌县"),
         "会昌县水利局", 2023),
    Case("word_pasted_heading_outside_body", ["各市州人民政府，省政府各厅委、各直属机构：",
                                              "现将本年度政府信息公开工作情况报告如下。"],
         ["2023年3月28日"],
         {"heading": "湖南省人民政府2022年政府信息公开工作年度报告", "title": "湖南省人民政府门户网站",
          "breadcrumb": "当前位置：首页 > 政务公开 > 政府信息公开年报"}, None, "湖南省人民政府", 2022),
    Case("bracketed_year_link", ["一、总体情况"], ["2024年1月30日"],
         {"ContentSource": "会昌县教育体育局"},
         Hints(county="会昌县", link_text="【2023年】会昌县教育体育局政府信息公开工作年度报告"),
         "会昌县教育体育局", 2023),
    Case("attachment_without_title", ["一、总体情况", "2023年，我局严格按照《条例》要求做好政府信息公开工作。"],
         ["2024年1月26日"], {},
         Hints(county="会昌县", page_title="会昌县民政局2023年政府信息公开工作年度报告",
               link_text="附件：年度报告.pdf", file_name="会昌县民政局2023年政府信息公开工作年度报告"),
         "会昌县民政局", 2023),
    Case("township", ["大东沟镇人民政府2023年政府信息公开工作年度报告"], ["大东沟镇人民政府", "2024年1月15日"],
         {"ContentSource": "泽州县人民政府"}, Hints(county="泽州县"), "大东沟镇人民政府", 2023),
    Case("street_office_gongbu_ruxia", [OPENING + "现将南街街道办事处2023年政府信息公开工作年度报告公布如下："],
         ["南街街道办事处", "2024年1月12日"], {"ContentSource": "古县人民政府"}, Hints(county="古县"),
         "南街街道办事处", 2023),
    Case("traditional_script", ["會昌縣財政局2023年政府信息公開工作年度報告"], ["會昌縣財政局", "2024年1月20日"],
         {"ContentSource": "會昌縣人民政府"}, Hints(county="会昌县"), "会昌县财政局", 2023),
    Case("pre_2019_wording", ["泽州县发展和改革局2018年度政府信息公开工作报告"], ["2019年3月20日"],
         {"ContentSource": "泽州县人民政府办公室"}, Hints(county="泽州县"), "泽州县发展和改革局", 2018),
    Case("link_mislabeled", ["会昌县人力资源和社会保障局2023年政府信息公开工作年度报告"],
         ["会昌县人力资源和社会保障局", "2024年1月18日"], {},
         Hints(county="会昌县", link_text="会昌县民政局2023年政府信息公开工作年度报告"),
         "会昌县人力资源和社会保障局", 2023),
    Case("name_without_county_prefix", ["卫生健康局2023年政府信息公开工作年度报告"], ["2024年1月29日"],
         {"ContentSource": "会昌县卫生健康委员会"}, Hints(county="会昌县"), "会昌县卫生健康局", 2023),
    Case("compiled_by_and_contact", [
        "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息公开办公室关于印发"
        "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，由古县财政局编制。本报告中所列数据的统计期限自"
        "2023年1月1日起至2023年12月31日止。如对本报告有任何疑问，请与古县财政局办公室联系（电话：0357-5321234）。"],
         ["2024年1月20日"], {"ContentSource": "古县人民政府办公室", "title": "政府信息公开年报_古县人民政府"},
         Hints(county="古县"), "古县财政局", 2023),
    Case("bianban_is_a_name", ["中共会昌县委机构编制委员会办公室2023年政府信息公开工作年度报告"],
         ["中共会昌县委机构编制委员会办公室", "2024年1月26日"], {"ContentSource": "会昌县人民政府办公室"},
         Hints(county="会昌县"), "中共会昌县委机构编制委员会办公室", 2023),
    Case("attachment_link_and_breadcrumb", ["一、总体情况", "我局2023年度认真落实政府信息公开工作。"],
         ["2024年1月16日"],
         {"breadcrumb": "首页 > 部门信息公开 > 泽州县财政局 > 政府信息公开年报"},
         Hints(county="泽州县", link_text="附件1：泽州县财政局2023年政府信息公开工作年度报告.pdf"),
         "泽州县财政局", 2023),
    Case("chrome_cuts_the_title", ["一、总体情况"], ["高岭镇人民政府", "2018年1月30日"],
         {"title": "高岭镇_2017年_政府信息公开工作年度报告", "ContentSource": "泽州县人民政府"},
         Hints(county="泽州县"), "高岭镇人民政府", 2017),
    Case("guanyu_after_the_name", ["会昌县自然资源局关于2023年度政府信息公开工作年度报告"],
         ["会昌县自然资源局", "2024年1月23日"], {}, Hints(county="会昌县"), "会昌县自然资源局", 2023),
    Case("year_before_the_name", ["2023年会昌县司法局政府信息公开工作年度报告"], ["2024年1月19日"],
         {"ContentSource": "会昌县人民政府办公室"}, Hints(county="会昌县"), "会昌县司法局", 2023),
    Case("cheng_xiang_is_no_place", ["住房和城乡建设局2023年政府信息公开工作年度报告"], ["2024年1月22日"], {},
         Hints(county="会昌县"), "会昌县住房和城乡建设局", 2023),
    Case("area_governed_by_a_guanweihui", ["平潭综合实验区2023年度政府信息公开工作年度报告"], ["2024年1月31日"],
         {"ContentSource": "平潭综合实验区管委会办公室", "title": "平潭综合实验区2023年度政府信息公开工作年度报告"},
         None, "平潭综合实验区管委会", 2023),
    Case("new_area_whose_guanweihui_signs_the_page", ["两江新区2023年度政府信息公开工作年度报告"], ["2024年1月29日"],
         {"ContentSource": "两江新区管委会办公室"}, None, "两江新区管委会", 2023),
    # A 2019-template page: the title names only the area, the page's 来源 still names the county government the
    # area's 管委会 replaced, and the opening cites the State Council notice about reports by its full name.
    Case("area_without_its_guanweihui_on_the_page", [
        "平潭综合实验区2020年政府信息公开工作年度报告",
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）、《国务院办公厅政府信息与政务公开办公室关于政府"
        "信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求，我区编制完成了本报告。本报告所列数据的"
        "统计期限自2020年1月1日起至2020年12月31日止。"],
         [], {"title": "平潭综合实验区2020年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会",
              "ArticleTitle": "平潭综合实验区2020年度政府信息公开工作年度报告", "publisher": "平潭县人民政府"},
         None, "平潭综合实验区管委会", 2020),
    # The 2022 page: the title names only the area, the 来源 line the county's former 人民政府, and the opening asks
    # readers to call a desk of the 管委会's office.
    Case("area_contact_is_a_desk_of_the_guanweihui", [
        "平潭综合实验区2022年度政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）等文件要求，汇总平潭综合实验区各有关单位政府"
        "信息公开工作情况编制而成。本报告中所列数据统计时限为2022年1月1日至2022年12月31日。对本报告如有疑问，请与"
        "平潭综合实验区管委会办公室保密与电子政务处联系（地址：平潭综合实验区金井湾商务营运中心7号楼14层）。"],
         [], {"publisher": "平潭县人民政府", "ArticleTitle": "平潭综合实验区2022年度政府信息公开工作年度报告"},
         None, "平潭综合实验区管委会", 2022),
    Case("city_in_front_from_the_compiler", [
        "洪泽区人民政府2023年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由淮安市洪泽区人民政府办公室编制。"],
         ["2024年1月30日"], {}, None, "淮安市洪泽区人民政府", 2023),
    Case("chinese_date_and_spaces", ["泽州县 应急管理局 2023 年政府信息公开工作年度报告"],
         ["泽州县应急管理局", "二〇二四年一月二十六日"], {}, Hints(county="泽州县"), "泽州县应急管理局", 2023),
]


def identify(case: Case) -> Identity:
    lines = [normalize_text(line) for line in [*case.head, *BODY, *case.tail]]
    text = "\n".join(lines)
    return resolve_identity(lines, case.meta, case.hints, find_statistics_year(text), find_closing_date(lines))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_identity_finds_the_agency_and_year_a_person_reads(case: Case) -> None:
    identity = identify(case)
    assert identity.agency == case.agency
    assert identity.year == case.year
    assert identity.agency_confidence >= LOW_CONFIDENCE, identity
    assert identity.year_confidence >= LOW_CONFIDENCE, identity
    assert identity.warnings == []


def test_identity_of_the_opening_sentence_is_the_organ_not_the_sentence() -> None:
    identity = identify(CASES[1])
    assert identity.agency_source == "opening"
    assert identity.title == "泽州县自然资源局2023年政府信息公开工作年度报告"
    assert "根据" not in (identity.agency or "") and "公布" not in (identity.agency or "")


def test_identity_short_form_and_full_name_are_one_agency() -> None:
    identity = identify(CASES[2])  # 县人社局 in the sentence, the full name in the signature
    assert normalize_agency(identity.agency) == normalize_agency("县人社局")


def test_identity_from_content_source_alone_is_doubtful() -> None:
    case = Case("content_source_only", ["一、总体情况"], ["2024年1月20日"], {"ContentSource": "会昌县司法局"},
                Hints(county="会昌县"))
    identity = identify(case)
    assert identity.agency == "会昌县司法局"
    assert identity.agency_confidence < LOW_CONFIDENCE
    assert any(w.startswith("年报单位“会昌县司法局”把握不足") and "网页信息来源" in w for w in identity.warnings)
    # The year comes only from the closing date (2024年1月20日 → 2023): also in doubt, and said so.
    assert identity.year == 2023
    assert any(w.startswith("报告年度2023年把握不足") for w in identity.warnings)


def test_identity_without_any_name_says_so() -> None:
    case = Case("nothing", ["根据《中华人民共和国政府信息公开条例》规定，现将本单位政府信息公开工作年度报告如下："])
    identity = identify(case)
    assert identity.agency is None
    assert identity.year is None
    assert "未能确定年报单位：标题、首段、网页信息和落款中都没有找到机关名称" in identity.warnings
    assert "未能确定报告年度：标题、统计期限和落款日期中都没有年份" in identity.warnings


def test_identity_contradicted_names_the_other_candidate() -> None:
    case = Case("contradicted", ["一、总体情况"], ["2024年1月20日"], {"ContentSource": "会昌县司法局"},
                Hints(county="会昌县", page_title="会昌县民政局2023年政府信息公开工作年度报告"))
    identity = identify(case)
    assert identity.agency == "会昌县民政局"
    assert identity.agency_confidence < LOW_CONFIDENCE
    assert any("另有依据指向“会昌县司法局”" in w for w in identity.warnings)


def test_a_notice_about_reports_is_no_report_title() -> None:
    notice = "根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》要求，"
    assert [c.agency for c in titles_in(normalize_text(notice), "title")] == []
    # …while a title with 关于 between the name and the year stays a title (case guanyu_after_the_name).
    assert [c.agency for c in titles_in("会昌县自然资源局关于2023年度政府信息公开工作年度报告", "title")] == [
        "会昌县自然资源局"]


@pytest.mark.parametrize(("sentence", "organ"), [
    ("如对本报告有疑问，请与会昌县人民政府办公室政务公开股联系（电话：0797-5621234）。", "会昌县人民政府办公室"),
    ("对本报告如有疑问，请与平潭综合实验区管委会办公室保密与电子政务处联系。", "平潭综合实验区管委会办公室"),
    ("如有疑问，请与淮安市洪泽区人民政府办公室政务公开科联系。", "淮安市洪泽区人民政府办公室"),
    ("如有疑问，请与南街街道办事处联系。", "南街街道办事处"),
    ("如有疑问，请与古县财政局办公室联系。", "古县财政局办公室"),
], ids=["county_office_gu", "guanweihui_office_chu", "district_office_ke", "banshichu_is_an_organ", "bureau_office"])
def test_a_desk_named_as_contact_stands_for_its_organ(sentence: str, organ: str) -> None:
    assert named_in_sentences([sentence]) == [Candidate("contact", organ, None)]


@pytest.mark.parametrize("name", ["会昌县人力资源和社会保障局", "泽州县人民政府", "南街街道办事处", "县卫健委",
                                  "会昌县人民政府办公室", "泽州县经济技术开发区管委会", "古县统计局", "大东沟镇"])
def test_organ_names(name: str) -> None:
    assert looks_like_organ(name)


@pytest.mark.parametrize("text", [
    "根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求,特向社会公布会昌县人力资源和社会保障局",
    "现将本单位", "本机关", "政府信息公开年报", "首页", "会昌县人民政府门户网站首页", "关于报送年度报告的通知",
])
def test_not_organ_names(text: str) -> None:
    assert not looks_like_organ(text)


def test_file_name_hint_is_read_only_when_it_says_something() -> None:
    assert file_name_of("http://a.gov.cn/P020240126657491913704.pdf") is None
    assert file_name_of("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=084393c5.pdf") is None
    assert (file_name_of("http://a.gov.cn/files/%E5%8F%A4%E5%8E%BF%E6%9E%97%E4%B8%9A%E5%B1%80.docx")
            == "古县林业局")
    assert file_name_of("/home/u/年报/泽州县人社局2023年政府信息公开工作年度报告.pdf") == \
        "泽州县人社局2023年政府信息公开工作年度报告"


def test_page_author_names_the_guanweihui_of_an_area_the_title_names_alone() -> None:
    # A TRS page of a 2019-template report: the title names only the 新区, the info bar's 来源 still names another
    # government, and only the page's Author metadata names the 管委会 that wrote it.
    case = Case("author_meta", ["兰州新区2019年政府信息公开工作年度报告"], [],
                {"title": "兰州新区2019年度政府信息公开工作年度报告_政府信息公开年报", "publisher": "兰州市人民政府",
                 "Author": "兰州新区管委会"})
    identity = identify(case)
    assert (identity.agency, identity.year) == ("兰州新区管委会", 2019)
    assert identity.agency_confidence >= LOW_CONFIDENCE


def test_page_author_that_is_a_person_names_no_agency() -> None:
    case = Case("author_person", ["一、总体情况"], ["2024年1月20日"], {"Author": "张晓明"})
    assert identify(case).agency is None


def test_a_page_stamp_is_not_the_closing_date() -> None:
    """An archive's or a page's 发布时间 line is when the page went up, not the date the office signed."""
    lines = ["标题: 泽州县财政局2023年政府信息公开工作年度报告", "发布时间: 2024-01-30 16:13", *BODY]
    assert find_closing_date(lines) is None
    assert find_closing_date([*lines, "泽州县财政局", "2024年1月24日"]) == "2024-01-24"


def test_a_signature_date_inside_a_run_on_dump_is_found() -> None:
    """A dump that runs the whole page into one line: the date in Chinese numerals is the signature's."""
    run_on = ("。".join(BODY) * 8) + "泽州县财政局 二○二四年一月二十四日 附件：统计表 2023年1月1日至2023年12月31日"
    lines = ["标题: 泽州县财政局2023年政府信息公开工作年度报告", "发布时间: 2024-01-30 16:13", run_on]
    assert find_closing_date(lines) == "2024-01-24"
