"""A document rendered in a bureau's own .docx template (docxtpl): bounded in size and time, sandboxed and
autoescaped (engine/present/templatebounds.py); every failure an input problem naming --template."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from quanze.engine.model.errors import InputError, Problem, display_path


def template_problem(template: Path, why: str) -> InputError:
    return InputError([Problem(display_path(template), "--template", why)])


def from_template(context: dict[str, Any], template: Path) -> bytes:
    import zipfile

    import jinja2
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from lxml import etree

    from quanze.engine.present import templatebounds as bounds

    if not template.is_file():
        raise template_problem(template, "模板文件不存在或不是普通文件")
    if not zipfile.is_zipfile(template):
        raise template_problem(template, "不是 Word 文档（.docx）模板")
    try:  # bounded: file, uncompressed size, render time, output (engine/present/templatebounds.py)
        bounds.check_package(template)
        doc = DocxTemplate(str(template))
        env = bounds.BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
        with bounds.alarm():
            doc.render(context, jinja_env=env, autoescape=True)
    except bounds.TemplateBound as exc:
        raise template_problem(template, exc.reason) from None
    except jinja2.TemplateSyntaxError as exc:
        raise template_problem(template, f"模板语法有误（第 {exc.lineno} 行）：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise template_problem(template, f"模板使用了未定义的变量：{exc.message}（可用的变量见 docs/opinion.md）") from None
    except jinja2.TemplateError as exc:
        raise template_problem(template, f"模板无法生成文书：{exc}") from None
    except (KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError, etree.XMLSyntaxError):
        raise template_problem(template, "不是有效的 Word 文档（.docx）模板：文件已损坏或缺少文档内容") from None
    buffer = io.BytesIO()
    doc.save(buffer)
    if buffer.tell() > bounds.MAX_UNZIPPED_BYTES:
        raise template_problem(template, f"生成的文书 {buffer.tell()} 字节，超过上限 {bounds.MAX_UNZIPPED_BYTES} 字节")
    return buffer.getvalue()
