export {
  createModelCheckRouter,
  MODEL_CHECK_BODY_LIMIT,
} from './createModelCheckRouter';
