// A TypeDoc plugin for the API reference's own rules, on top of typedoc.json's validation:
// every name an entry point exports carries an `@example`, and every property an exported
// interface or class declares has a doc comment. It warns; typedoc.json turns warnings into errors.
import { Converter, ReflectionKind } from 'typedoc'

const PUBLIC_KINDS =
  ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Variable | ReflectionKind.Function

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(PUBLIC_KINDS)) {
      if (!reflection.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project)) continue
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)]
      if (!comments.some((comment) => comment?.getTag('@example'))) {
        app.logger.warn(`${reflection.getFullName()} (${ReflectionKind[reflection.kind]}) has no @example`)
      }
    }
    // Fields of inline object types (`{ id: string }` inside a signature) are left to their owner's comment.
    for (const property of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      if (!property.parent?.kindOf(ReflectionKind.Interface | ReflectionKind.Class)) continue
      if (property.inheritedFrom || property.comment) continue
      app.logger.warn(`${property.getFullName()} (Property) has no doc comment`)
    }
  })
}
