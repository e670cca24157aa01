import { groupLoader, isUuid, rowLoader, type BaseContext } from '@mms/platform';
import * as programs from '../store/programs';
import * as materials from '../materials/store';
import * as store from './store';
import { practiceLinksByProjects } from './projects';

/**
 * Per-request loaders of the bank of practices and the library (issue 19): one SQL statement per batch. They take
 * the viewer, not a scope: anonymous callers read the public part (recommended practices, public materials).
 */
export function createKnowledgeLoaders(base: BaseContext) {
  const { db, viewer } = base;
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    practice: rowLoader((keys) => store.practicesByIds(db, viewer, ids(keys)), (row) => row.id),
    authorsOfPractice: groupLoader((keys) => store.authorsByPractices(db, keys), (row) => row.practiceId),
    competenciesOfPractice: groupLoader(async (keys) => {
      const links = await store.competencyIdsByPractices(db, keys);
      const byId = new Map((await programs.competenciesByIds(db, [...new Set(links.map((l) => l.competencyId))])).map((c) => [c.id, c]));
      return links.map((l) => ({ practiceId: l.practiceId, competency: byId.get(l.competencyId)! }))
        .sort((a, b) => a.competency.code.localeCompare(b.competency.code));
    }, (row) => row.practiceId),
    stepsOfPractice: groupLoader((keys) => store.stepsByPractices(db, keys), (row) => row.practiceId),
    presentationsOfPractice: groupLoader((keys) => store.presentationsByPractices(db, keys), (row) => row.practiceId),
    reviewsOfPractice: groupLoader((keys) => store.reviewsByPractices(db, keys), (row) => row.practiceId),
    criteriaOfReview: groupLoader((keys) => store.criteriaByReviews(db, keys), (row) => row.reviewId),
    reviewersOfReview: groupLoader((keys) => store.reviewersByReviews(db, keys), (row) => row.reviewId),
    scoresOfReview: groupLoader((keys) => store.scoresByReviews(db, keys), (row) => row.reviewId),
    filesOfPractice: groupLoader((keys) => materials.filesByPractices(db, keys), (row) => row.practiceId!),
    materialsOfPractice: groupLoader((keys) => materials.materialsByPractices(db, viewer, keys), (row) => row.practiceId),
    material: rowLoader((keys) => materials.materialsByIds(db, viewer, ids(keys)), (row) => row.id),
    authorsOfMaterial: groupLoader((keys) => materials.authorsByMaterials(db, keys), (row) => row.materialId),
    practiceLinksOfMaterial: groupLoader((keys) => materials.practiceLinksByMaterials(db, keys), (row) => row.materialId),
    practiceLinksOfProject: groupLoader((keys) => practiceLinksByProjects(db, keys), (row) => row.projectId),
    filesOfMaterial: groupLoader((keys) => materials.filesByMaterials(db, keys), (row) => row.materialId!),
  };
}
