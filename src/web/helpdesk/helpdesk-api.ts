import { apiRequest, apiUpload } from '../shared/api-client';
import type { FaqEntry, HelpdeskFigures, Question, QuestionBox, QuestionCategory, QuestionThread } from '../../contract/helpdesk.schema';

export { questionCategories } from '../../contract/helpdesk.schema';
export type { Attachment, QuestionBox, FaqEntry, HelpdeskFigures, Question, QuestionCategory, QuestionStatus, QuestionThread, ThreadMessage } from '../../contract/helpdesk.schema';

export const helpdeskKeys = {
  all: ['helpdesk'] as const,
  list: (box: QuestionBox, q: string) => ['helpdesk', 'list', box, q] as const,
  thread: (id: number) => ['helpdesk', 'thread', id] as const,
  faq: (q: string) => ['helpdesk', 'faq', q] as const,
  figures: (code: string) => ['helpdesk', 'figures', code] as const,
};

export const listQuestions = (box: QuestionBox, q: string, signal?: AbortSignal) =>
  apiRequest<{ items: Question[] }>('/api/questions', { query: { box, q }, signal });
export const getThread = (id: number, signal?: AbortSignal) => apiRequest<QuestionThread>(`/api/questions/${id}`, { signal });
export const askQuestion = (unitCode: string, input: { title: string; body: string; category: QuestionCategory }) =>
  apiRequest<QuestionThread>(`/api/units/${unitCode}/questions`, { method: 'POST', body: input });
export const answerQuestion = (id: number, body: string) => apiRequest<QuestionThread>(`/api/questions/${id}/answer`, { method: 'POST', body: { body } });
export const escalateQuestion = (id: number, note: string) => apiRequest<QuestionThread>(`/api/questions/${id}/escalate`, { method: 'POST', body: { note } });
export const closeQuestion = (id: number) => apiRequest<QuestionThread>(`/api/questions/${id}/close`, { method: 'POST', body: {} });
export const followUpQuestion = (id: number, body: string) => apiRequest<QuestionThread>(`/api/questions/${id}/follow-up`, { method: 'POST', body: { body } });
export const publishToFaq = (id: number) => apiRequest<FaqEntry>(`/api/questions/${id}/faq`, { method: 'POST', body: {} });
export const attachFile = (id: number, file: File) => {
  const form = new FormData();
  form.append('file', file);
  return apiUpload<QuestionThread>(`/api/questions/${id}/attachments`, form, () => {});
};
export const withdrawFaq = (id: number) => apiRequest<{ ok: true }>(`/api/faq/${id}`, { method: 'DELETE' });
export const searchFaq = (q: string, signal?: AbortSignal) => apiRequest<{ items: FaqEntry[] }>('/api/faq', { query: { q }, signal });
export const getFigures = (code: string, signal?: AbortSignal) => apiRequest<HelpdeskFigures>(`/api/units/${code}/helpdesk-figures`, { signal });
export const attachmentUrl = (id: number) => `/api/question-attachments/${id}`;
