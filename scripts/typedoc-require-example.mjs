// A TypeDoc plugin: every name an entry point exports must carry an `@example`, so the API
// reference shows how to use each one. It warns, and typedoc.json turns warnings into errors.
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
  })
}
