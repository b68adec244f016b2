// One image of a request, given either as an upload or as a link to a picture already posted in the chat:
// at most one of the two. Both given is refused rather than one quietly winning, as with the style
// (library-choice.ts): the user meant one of them.
import { UserError, type ImageRole } from '../../wording/index.js';

/** The upload or the link the request gives for this image, undefined when neither; throws UserError for both. */
export function chooseImage<Upload, Link>(upload: Upload | undefined, link: Link | undefined, role: ImageRole): Upload | Link | undefined {
  if (upload !== undefined && link !== undefined) throw new UserError('image-upload-and-link', { role });
  return upload ?? link;
}
